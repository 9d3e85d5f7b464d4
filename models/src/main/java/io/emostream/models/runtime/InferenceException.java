package io.emostream.models.runtime;

/** A request could not be answered: the session failed, its output was invalid (NaN), or its deadline passed. */
public class InferenceException extends Exception {
    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
