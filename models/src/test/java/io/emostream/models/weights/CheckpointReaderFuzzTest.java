package io.emostream.models.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Coverage-guided fuzzing of {@link TorchCheckpointReader}: whatever the file holds, reading it gives a state_dict or
 * one {@link InvalidCheckpointException} with a message; any other exception, an OutOfMemoryError or a hang fails.
 *
 * <p>An input is either a whole file (first byte even) or (first byte odd) the pickle {@code data.pkl} of an
 * otherwise well-formed archive whose storages are those of {@link TorchCheckpointFixture#mixed()}, so that the
 * fuzzer reaches the unpickler without having to find the zip layout first.
 */
class CheckpointReaderFuzzTest {
    private static final Map<String, byte[]> STORAGES = TorchCheckpointFixture.mixed().storageBytes();
    private static Path dir;

    @BeforeAll
    static void makeDirectory() throws IOException {
        dir = Files.createTempDirectory("checkpoint-fuzz");
    }

    @AfterAll
    static void removeDirectory() throws IOException {
        Files.deleteIfExists(dir.resolve("input.pth"));
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "30s")
    void everyFileReadsOrFailsWithOneInvalidCheckpointException(byte[] input) throws IOException {
        Path file = dir.resolve("input.pth");
        byte[] rest = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        if (input.length > 0 && input[0] % 2 != 0) {
            TorchCheckpointFixture.writeZip(file, rest, STORAGES);
        } else {
            Files.write(file, rest);
        }
        try {
            assertNotNull(TorchCheckpointReader.read(file).tensors());
        } catch (InvalidCheckpointException e) {
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isBlank(), "the failure says what is wrong");
        }
    }
}
