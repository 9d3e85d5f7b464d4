package io.emostream.models.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Damaged checkpoints, byte by byte: whatever the damage, reading either succeeds or ends in one
 * {@link InvalidCheckpointException} with a message; never another exception, a hang or an OutOfMemoryError.
 */
class CorruptCheckpointTest {
    private static final int ROUNDS = 400;

    @TempDir
    Path dir;

    private static byte[] damage(byte[] original, Random random) {
        byte[] bytes = original.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            default -> {
                int at = random.nextInt(bytes.length);
                bytes[at] = (byte) (random.nextBoolean() ? 0xff : 0x7f);
            }
        }
        return bytes;
    }

    private void readAndExpectCleanOutcome(Path file, int round) {
        try {
            TorchCheckpointReader.read(file);
        } catch (InvalidCheckpointException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "round " + round);
        } catch (Throwable t) {
            fail("round " + round + ": " + t, t);
        }
    }

    @Test
    void damagedPicklesFailCleanly() throws IOException {
        TorchCheckpointFixture f = TorchCheckpointFixture.mixed();
        byte[] pickle = f.pickle("state_dict");
        Path good = f.write(dir.resolve("good.pth"), "state_dict");
        TorchCheckpointReader.read(good); // the undamaged file reads
        Map<String, byte[]> storages = f.storageBytes();
        Random random = new Random(42);
        for (int round = 0; round < ROUNDS; round++) {
            Path file = TorchCheckpointFixture.writeZip(dir.resolve("p" + round + ".pth"), damage(pickle, random),
                    storages);
            readAndExpectCleanOutcome(file, round);
        }
    }

    @Test
    void damagedArchivesFailCleanly() throws IOException {
        byte[] archive = Files.readAllBytes(TorchCheckpointFixture.mixed().write(dir.resolve("good.pth"), null));
        Random random = new Random(43);
        for (int round = 0; round < ROUNDS; round++) {
            Path file = Files.write(dir.resolve("z" + round + ".pth"), damage(archive, random));
            readAndExpectCleanOutcome(file, round);
        }
    }
}
