package io.emostream.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RunCommandTest {
    private static final String CLUSTER = "--bootstrap-servers=127.0.0.1:1";

    @TempDir
    static Path dir;

    /** A mistake in a {@code run} command line, and what its message must name. */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                arguments("no cluster", List.of("run"), List.of("--bootstrap-servers")),
                arguments("a missing config file", List.of("run", "--config",
                        dir.resolve("missing.properties").toString(), CLUSTER), List.of("missing.properties")),
                arguments("an invalid setting", List.of("run", CLUSTER, "--set", "batch.max.size=0"),
                        List.of("batch.max.size")),
                arguments("the query API on all interfaces without a token", List.of("run", CLUSTER,
                        "--http-port", "18089", "-s", "http.bind.address=0.0.0.0"), List.of("http.auth.token")),
                arguments("a missing model, found at start", List.of("run", CLUSTER, "--set",
                        "detection.model=" + dir.resolve("absent.onnx")), List.of("detection.model", "absent.onnx")),
                arguments("both models off", List.of("run", CLUSTER, "-s", "detection.enabled=false", "-s",
                        "segmentation.enabled=false"), List.of("nothing to do")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsAUsageErrorWhoseMessageNamesWhatToFix(String mistake, List<String> args, List<String> named) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(Main.EXIT_USAGE, cli.execute(args.toArray(String[]::new)));
        for (String name : named) {
            assertTrue(err.toString().contains(name), err::toString);
        }
    }
}
