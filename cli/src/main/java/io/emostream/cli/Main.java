package io.emostream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code emostream} command line. Exit codes: 0 success, 1 runtime failure, 2 bad usage. */
@Command(name = "emostream",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        resourceBundle = "io.emostream.cli.options",
        description = "EMO detection and segmentation on camera frames, as a Kafka Streams plugin.",
        subcommands = {
                CommandLine.HelpCommand.class,
                IngestCommand.class,
                ModelsCommand.class,
                RunCommand.class,
                DemoCommand.class,
                BenchCommand.class,
                AnnotateCommand.class,
        })
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: usage errors exit 2, runtime errors exit 1, each with one clear line. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(CliErrors::exitCode);
        cli.setExecutionExceptionHandler(CliErrors::handle);
        cli.setParameterExceptionHandler(CliErrors::usageError);
        return cli;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No subcommand given: bad usage. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand, one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"emostream " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
