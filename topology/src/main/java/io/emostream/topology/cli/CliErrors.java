package io.emostream.topology.cli;

import picocli.CommandLine;

/**
 * Turns exceptions into one clear line on stderr and an exit code. {@link UsageException} (bad flags, files,
 * configuration) exits 2; anything else exits 1. The stack trace is shown only with EMOSTREAM_DEBUG=1.
 */
final class CliErrors {
    private CliErrors() { }

    static int exitCode(Throwable t) {
        return t instanceof UsageException ? Main.EXIT_USAGE : Main.EXIT_FAILURE;
    }

    static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cli.getErr().println("emostream " + cli.getCommandName() + ": " + message);
        if ("1".equals(System.getenv("EMOSTREAM_DEBUG"))) {
            e.printStackTrace(cli.getErr());
        }
        return exitCode(e);
    }
}
