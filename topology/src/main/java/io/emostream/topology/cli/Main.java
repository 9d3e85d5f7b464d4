package io.emostream.topology.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code emostream} command line. Exit codes: 0 success, 1 runtime failure, 2 bad usage. */
@Command(name = "emostream",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "EMO detection and segmentation on camera frames, as a Kafka Streams plugin.",
        subcommands = {
                CommandLine.HelpCommand.class,
                RunCommand.class,
                DemoCommand.class,
        })
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: usage errors exit 2, runtime errors exit 1 with one clear line. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(CliErrors::exitCode);
        cli.setExecutionExceptionHandler(CliErrors::handle);
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"emostream " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
