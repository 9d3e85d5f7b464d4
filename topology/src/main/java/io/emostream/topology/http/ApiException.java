package io.emostream.topology.http;

/** A request that cannot be answered, with the HTTP status and a message saying what to fix. */
final class ApiException extends RuntimeException {
    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
