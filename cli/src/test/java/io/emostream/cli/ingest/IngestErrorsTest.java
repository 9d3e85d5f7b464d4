package io.emostream.cli.ingest;

import io.emostream.cli.Main;
import io.emostream.cli.embedded.BrokerPerClass;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each failure ends the command within a bounded time with exit code 1 (2 for bad usage) and one clear line. */
class IngestErrorsTest {
    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass();
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        kafka.createTopic("frames", 1);
    }

    private record Result(int code, String err, Duration took) { }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        long start = System.nanoTime();
        int code = cli.execute(args);
        return new Result(code, err.toString().strip(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static void assertOneLine(Result r, int code, String expected, Duration within) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line on stderr: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertTrue(r.took().compareTo(within) < 0, "took " + r.took());
    }

    @Test
    void missingFileExitsOneWithTheBadPath() {
        Path missing = dir.resolve("no-such-video.mp4");
        assertOneLine(run("ingest", "--bootstrap-servers", kafka.bootstrapServers(), "--camera", "c1",
                "--source", missing.toString()), 1, "no such file", Duration.ofSeconds(20));
    }

    @Test
    void rtspServerThatNeverAnswersIsTriedAgainThenExitsOneWhenOutOfAttempts() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Result r = run("ingest", "--bootstrap-servers", kafka.bootstrapServers(), "--camera", "c1",
                    "--source", "rtsp://127.0.0.1:" + silent.getLocalPort() + "/stream", "--source-timeout", "2",
                    "--max-reconnect-attempts", "1");
            assertOneLine(r, 1, "gave up after 1 reconnection attempts; the last: camera c1: cannot open",
                    Duration.ofSeconds(20));
            assertTrue(r.err().contains("check the URL"), r.err());
        }
    }

    @Test
    void brokerThatIsDownExitsOneWithinTheBrokerTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result r = run("ingest", "--bootstrap-servers", "127.0.0.1:" + port, "--camera", "c1",
                "--source", "rtsp://127.0.0.1:1/x", "--broker-timeout", "3");
        assertOneLine(r, 1, "did not answer within 3 s", Duration.ofSeconds(20));
    }

    @Test
    void missingTopicExitsOneAndSaysToCreateIt() {
        assertOneLine(run("ingest", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "absent",
                "--camera", "c1", "--source", "x.mp4"), 1, "does not exist", Duration.ofSeconds(20));
    }

    @Test
    void badFlagsExitTwo() {
        assertEquals(2, run("ingest", "--bootstrap-servers", "x:1", "--camera", "c1").code(), "--camera without --source");
        assertOneLine(run("ingest", "--bootstrap-servers", "x:1", "--camera", "c1", "--source", "a.mp4", "--fps", "-3"),
                2, "fps must be", Duration.ofSeconds(5));
        assertOneLine(run("ingest", "--bootstrap-servers", "x:1", "--cameras", dir.resolve("none.yaml").toString()),
                2, "does not exist", Duration.ofSeconds(5));
    }
}
