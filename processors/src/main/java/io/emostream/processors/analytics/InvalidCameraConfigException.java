package io.emostream.processors.analytics;

/** A camera's zones and lines are not usable; the message says which one and what to fix. */
public class InvalidCameraConfigException extends RuntimeException {
    public InvalidCameraConfigException(String message) {
        super(message);
    }

    public InvalidCameraConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
