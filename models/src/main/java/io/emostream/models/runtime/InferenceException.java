package io.emostream.models.runtime;

import java.util.Objects;

/** A request could not be answered; {@link #reason()} says why, for callers that act on the cause. */
public class InferenceException extends Exception {
    /** Why a request failed. */
    public enum Reason {
        /** no result within the request deadline */
        TIMEOUT,
        /** the model produced NaN or infinite values for this request */
        NON_FINITE_OUTPUT,
        /** the model's outputs do not have the names or shapes its card describes */
        OUTPUT_MISMATCH,
        /** the session call failed, or the runtime around it did */
        MODEL_ERROR,
        /** the model was closed before it answered */
        CLOSED
    }

    private final Reason reason;

    public InferenceException(Reason reason, String message) {
        this(reason, message, null);
    }

    public InferenceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
