package io.emostream.models.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
        return new Checkpoint(file, sha256(file), stateDict);
    }

    public String fileName() {
        return file.getFileName().toString();
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
