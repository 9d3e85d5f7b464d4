package io.emostream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code emostream models import} through the real command line: bad checkpoints are bad input (exit 2, one line).
 * The import itself is tested bit for bit in the models module (WeightImporterTest).
 */
class ModelsImportCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String err) { }

    private Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), err.toString());
    }

    private Run importing(Path checkpoint, String arch) {
        return run("models", "import", "--checkpoint", checkpoint.toString(), "--arch", arch, "--task", "detection",
                "--out", dir.resolve("out").toString());
    }

    private static void assertOneLine(Run r, String expected) {
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("emostream models import: "), r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void missingCheckpointIsAUsageError() {
        assertOneLine(importing(dir.resolve("absent.pth"), "emo-1m"), "does not exist");
    }

    @Test
    void fileThatIsNotACheckpointIsAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.pth"), "not a checkpoint");
        assertOneLine(importing(file, "emo-1m"), "not a readable zip archive");
    }

    @Test
    void unknownArchitectureIsAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("x.pth"), "x");
        assertOneLine(importing(file, "emo-9m"), "unknown architecture 'emo-9m'");
    }

    @Test
    void checkpointThatWouldRunACommandIsRefusedAndNothingIsWritten() throws IOException {
        Path marker = dir.resolve("pwned");
        // protocol 2: GLOBAL 'os system', ('touch <marker>',), REDUCE, STOP
        byte[] command = ("touch " + marker).getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("evil.pth");
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("evil/data.pkl"));
            zip.write(new byte[]{(byte) 0x80, 2, 'c'});
            zip.write("os\nsystem\n".getBytes(StandardCharsets.US_ASCII));
            zip.write(new byte[]{(byte) 0x8c, (byte) command.length});
            zip.write(command);
            zip.write(new byte[]{(byte) 0x85, 'R', '.'});
            zip.closeEntry();
        }

        assertOneLine(importing(file, "emo-1m"), "'os.system'");
        assertFalse(Files.exists(marker));
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
