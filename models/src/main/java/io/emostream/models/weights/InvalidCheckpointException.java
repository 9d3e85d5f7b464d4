package io.emostream.models.weights;

import java.io.IOException;

/** A checkpoint file that cannot be used: corrupt, truncated, too large, unsafe, or not shaped like the model. */
public class InvalidCheckpointException extends IOException {
    public InvalidCheckpointException(String message) {
        super(message);
    }

    public InvalidCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
