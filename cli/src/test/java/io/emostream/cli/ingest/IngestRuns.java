package io.emostream.cli.ingest;

import io.emostream.cli.Main;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command line run in the test's JVM. */
final class IngestRuns {
    private IngestRuns() { }

    /** Runs the command; returns its stdout, failing unless it exits 0. */
    static String succeed(List<String> command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(0, cli.execute(command.toArray(String[]::new)), "stdout: " + out + "\nstderr: " + err);
        return out.toString();
    }
}
