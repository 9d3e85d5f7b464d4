package io.emostream.ingest;

/** A runtime failure of the ingest (unreachable broker, a source that never opened); one line that says what to check. */
public class IngestException extends RuntimeException {
    public IngestException(String message) {
        super(message);
    }

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
