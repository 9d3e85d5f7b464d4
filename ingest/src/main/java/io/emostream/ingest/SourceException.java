package io.emostream.ingest;

/** A source that cannot be opened or read; the message names the camera and says what to check. */
public class SourceException extends IngestException {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
