package io.emostream.models.weights;

import io.emostream.models.card.Sha256;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file read for import: its state_dict and the SHA-256 of the file, which the model card records as the
 * weights' provenance.
 */
public record Checkpoint(Path file, String sha256, StateDict stateDict) {

    public static Checkpoint read(Path file) throws IOException {
        return read(file, CheckpointLimits.DEFAULT);
    }

    public static Checkpoint read(Path file, CheckpointLimits limits) throws IOException {
        StateDict stateDict = TorchCheckpointReader.read(file, limits);
        return new Checkpoint(file, Sha256.of(file), stateDict);
    }

    public String fileName() {
        return file.getFileName().toString();
    }
}
