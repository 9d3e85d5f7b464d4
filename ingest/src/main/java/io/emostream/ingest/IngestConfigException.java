package io.emostream.ingest;

/** Bad camera configuration (a flag, a cameras file, a value out of range); the message says what to fix. */
public class IngestConfigException extends RuntimeException {
    public IngestConfigException(String message) {
        super(message);
    }

    public IngestConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
