package io.emostream.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --json}, for the bench commands that also write their results as JSON. A command words its help in
 * {@code options.properties} under {@code emostream.<command>.json} when the default does not fit.
 */
final class BenchJsonOption {
    @Option(names = "--json", paramLabel = "FILE", descriptionKey = "json",
            description = "Also write the results as JSON to this file.")
    Path file;

    interface JsonWriter {
        void write(Path file) throws IOException;
    }

    /** A --json file must be writable before minutes of measuring, not after. */
    void checkTarget() {
        if (file != null) {
            Path dir = file.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw new UsageException("--json " + file + ": its directory does not exist or is not writable");
            }
        }
    }

    /** Writes the results with {@code writer} when --json was given. */
    void write(JsonWriter writer) throws IOException {
        if (file == null) {
            return;
        }
        try {
            writer.write(file);
        } catch (IOException e) {
            throw new IOException("cannot write --json " + file + ": " + e.getMessage(), e);
        }
    }
}
