package io.emostream.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code emostream} commands as separate processes on the test's class path, for tests that stop or kill them. */
public final class ChildJvm {
    private ChildJvm() { }

    /** Starts {@code Main args...} in a new JVM, its stdout and stderr going to {@code log}. */
    public static Process start(Path log, String... args) throws IOException {
        Path argFile = Files.createTempFile("emostream-child", ".args"); // the class path is too long for a command line
        argFile.toFile().deleteOnExit();
        Files.writeString(argFile, "-cp\n\"" + System.getProperty("java.class.path") + "\"\n");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-Djavacpp.platform=linux-x86_64", "@" + argFile, Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The last 40 lines of a child's log, for failure messages. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
