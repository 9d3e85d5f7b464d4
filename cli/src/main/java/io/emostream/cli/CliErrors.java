package io.emostream.cli;

import picocli.CommandLine;

import java.util.List;

/**
 * Turns exceptions into one clear line on stderr and an exit code. {@link UsageException} (bad flags, files,
 * configuration) and unparseable command lines exit 2; anything else exits 1. The stack trace is shown only with
 * EMOSTREAM_DEBUG=1.
 */
final class CliErrors {
    private CliErrors() { }

    static int exitCode(Throwable t) {
        return t instanceof UsageException ? Main.EXIT_USAGE : Main.EXIT_FAILURE;
    }

    static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cli.getErr().println(cli.getCommandSpec().qualifiedName() + ": " + message);
        if ("1".equals(System.getenv("EMOSTREAM_DEBUG"))) {
            e.printStackTrace(cli.getErr());
        }
        return exitCode(e);
    }

    /** A command line that does not parse: one line naming the problem and where help is, exit 2. */
    static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String arg = unmatched.getUnmatched().get(0);
            message = (arg.startsWith("-") ? "unknown option '" : cli.getSubcommands().isEmpty()
                    ? "unexpected argument '" : "unknown subcommand '") + arg + "'";
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += ", did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        String name = cli.getCommandSpec().qualifiedName();
        cli.getErr().println(name + ": " + message + " (see '" + name + " --help')");
        return Main.EXIT_USAGE;
    }
}
