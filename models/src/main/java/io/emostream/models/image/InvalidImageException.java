package io.emostream.models.image;

/** The bytes are not an acceptable image: corrupt, of an unknown format, over the limits, or mis-sized. */
public class InvalidImageException extends Exception {
    public InvalidImageException(String message) {
        super(message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
