package io.emostream.models.image;

import java.util.Objects;

/** The bytes are not an acceptable image; {@link #reason()} says which check refused them. */
public class InvalidImageException extends Exception {
    /** Which check refused the image. */
    public enum Reason {
        /** empty, truncated or damaged bytes that do not decode */
        CORRUPT,
        /** the bytes do not start as the declared encoding says (no JPEG SOI marker, no PNG signature) */
        ENCODING_MISMATCH,
        /** over the {@link ImageLimits}: too many bytes, too wide, too high or too many pixels */
        OVERSIZE,
        /** the image is not of the declared width and height, or a raw frame lacks them */
        SIZE_MISMATCH
    }

    private final Reason reason;

    public InvalidImageException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
