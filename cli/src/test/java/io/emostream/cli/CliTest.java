package io.emostream.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exit codes of the command line: 0 success, 1 runtime failure, 2 bad usage, each failure one clear line. */
class CliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(CommandLine cli, String... args) {
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private int run(String... args) {
        return run(Main.commandLine(), args);
    }

    private void assertOneErrorLine(String... parts) {
        String text = err.toString();
        assertEquals(1, text.lines().count(), () -> "expected one line on stderr, got:\n" + text);
        for (String part : parts) {
            assertTrue(text.contains(part), () -> "'" + part + "' missing from: " + text);
        }
    }

    @Test
    void helpListsTheSubcommandsAndExitsZero() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("Usage: emostream"), out::toString);
        assertTrue(out.toString().contains("Commands:"), out::toString);
        assertTrue(out.toString().contains("help"), out::toString);
        assertEquals("", err.toString());
    }

    @Test
    void versionExitsZero() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("emostream "), out::toString);
    }

    @Test
    void everySubcommandHasHelpThatExitsZero() {
        CommandLine cli = Main.commandLine();
        assertFalse(cli.getSubcommands().isEmpty());
        for (String name : cli.getSubcommands().keySet()) {
            assertEquals(0, run(Main.commandLine(), name, "--help"), name + " --help");
        }
    }

    @Test
    void unknownSubcommandExitsTwoWithOneLine() {
        assertEquals(2, run("frobnicate"));
        assertOneErrorLine("emostream: unknown subcommand 'frobnicate'", "emostream --help");
    }

    @Test
    void unknownOptionExitsTwoWithOneLine() {
        assertEquals(2, run("--frobnicate"));
        assertOneErrorLine("emostream: unknown option '--frobnicate'");
    }

    @Test
    void missingSubcommandExitsTwoWithOneLine() {
        assertEquals(2, run());
        assertOneErrorLine("emostream: missing subcommand, one of: ", "help");
    }

    @Command(name = "boom", mixinStandardHelpOptions = true)
    static final class Failing implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("broker 127.0.0.1:9 unreachable");
        }
    }

    @Command(name = "misuse")
    static final class Misused implements Runnable {
        @Override
        public void run() {
            throw new UsageException("--model: no such file models/missing.onnx");
        }
    }

    @Test
    void runtimeFailureExitsOneWithOneLineAndNoStackTrace() {
        CommandLine cli = Main.commandLine().addSubcommand(new Failing());
        assertEquals(1, run(cli, "boom"));
        assertOneErrorLine("emostream boom: broker 127.0.0.1:9 unreachable");
    }

    @Test
    void usageExceptionFromASubcommandExitsTwo() {
        CommandLine cli = Main.commandLine().addSubcommand(new Misused());
        assertEquals(2, run(cli, "misuse"));
        assertOneErrorLine("emostream misuse: --model: no such file models/missing.onnx");
    }

    @Test
    void unknownOptionOfASubcommandNamesTheSubcommand() {
        CommandLine cli = Main.commandLine().addSubcommand(new Failing());
        assertEquals(2, run(cli, "boom", "--nope"));
        assertOneErrorLine("emostream boom: unknown option '--nope'", "emostream boom --help");
    }
}
