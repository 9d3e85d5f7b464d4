package io.emostream.models.runtime;

/** A model cannot start: missing file or card, a card that does not match the graph, or an unavailable provider. */
public class ModelLoadException extends Exception {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
