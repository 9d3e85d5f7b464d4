package io.emostream.cli;

/** Bad input from the user (a flag, a file, a configuration value): exit code 2 with this message. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
