package io.emostream.cli.ingest;

import io.emostream.ingest.CameraConfig;
import io.emostream.ingest.CameraStats;
import io.emostream.ingest.Ingest;
import io.emostream.ingest.IngestSettings;
import io.emostream.ingest.SyntheticVideo;
import io.emostream.schemas.VideoFrame;
import io.emostream.cli.embedded.EmbeddedKafka;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Live sources on real servers: HTTP served by an ffmpeg process (Debian package {@code ffmpeg}) and RTSP over TCP
 * served by GStreamer's RTSP server through python3-gi. The ingest keeps going when the server is stopped and
 * started again, and its sequence numbers continue; an RTSP camera whose server is not up yet is tried until it is.
 */
class LiveSourceReconnectTest {
    /** Debian's Python, which has python3-gi (a python3 earlier on the PATH may not). */
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @Test
    void ingestReconnectsAfterTheServerRestartsAndSequenceContinues() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")),
                "this test needs the ffmpeg command line: apt-get install -y ffmpeg");
        Path video = dir.resolve("loop.ts"); // MPEG-TS carries the codec headers in-band, as a stream needs
        SyntheticVideo.write(video, 320, 240, 30, 2);
        int port = freePort();
        String url = "http://127.0.0.1:" + port + "/live.ts";
        CameraConfig camera = CameraConfig.fromSettings(Map.of("id", "live-1", "source", url, "fps", 5,
                "timeoutSeconds", 5));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("frames", 4);
            Process server = serve(video, port);
            long publishedBeforeStop;
            try (Ingest ingest = Ingest.start(quickRetries(kafka, camera))) {
                CameraStats stats = ingest.stats().get("live-1");
                try {
                    await(() -> stats.published() >= 5, Duration.ofSeconds(30), "first frames", stats);
                } finally {
                    stop(server);
                }
                publishedBeforeStop = stats.published();
                Thread.sleep(1500); // the source is gone for a while: the ingest retries with backoff
                server = serve(video, port);
                try {
                    await(() -> stats.reconnects() >= 1 && stats.published() >= publishedBeforeStop + 5,
                            Duration.ofSeconds(40), "frames after the restart", stats);
                } finally {
                    stop(server);
                }
                assertEquals(null, stats.error(), "the camera did not give up");
            }
            assertSequenceGoesOn(kafka, "live-1", publishedBeforeStop, 320);
        }
    }

    @Test
    void rtspCameraNotUpYetIsTriedUntilItAnswersAndReconnectsAfterItsServerRestarts() throws Exception {
        assumeTrue(rtspServerInstalled(), "skipped: GStreamer's RTSP server for python3 is missing; apt-get install -y "
                + "python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good "
                + "gstreamer1.0-plugins-ugly (.ci/run installs them)");
        int port = freePort();
        CameraConfig camera = CameraConfig.fromSettings(Map.of("id", "rtsp-1",
                "source", "rtsp://127.0.0.1:" + port + "/cam", "fps", 5, "timeoutSeconds", 5, "maxSide", 64));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("frames", 4);
            long publishedBeforeStop;
            try (Ingest ingest = Ingest.start(quickRetries(kafka, camera))) {
                CameraStats stats = ingest.stats().get("rtsp-1");
                Thread.sleep(1500); // nothing listens yet: the first opens fail and are tried again
                assertFalse(stats.opened(), "no server yet");
                assertNull(stats.error(), "the camera did not give up before its server came up");
                Process server = rtsp(port);
                try {
                    await(() -> stats.published() >= 5, Duration.ofSeconds(60), "first frames", stats);
                } finally {
                    stop(server);
                }
                publishedBeforeStop = stats.published();
                Thread.sleep(1500);
                server = rtsp(port);
                try {
                    await(() -> stats.reconnects() >= 1 && stats.published() >= publishedBeforeStop + 5,
                            Duration.ofSeconds(60), "frames after the restart", stats);
                } finally {
                    stop(server);
                }
                assertNull(stats.error(), "the camera did not give up");
            }
            assertSequenceGoesOn(kafka, "rtsp-1", publishedBeforeStop, 64);
        }
    }

    @Test
    void fileServedOverHttpEndsAtItsLengthInsteadOfReconnecting() throws Exception {
        Path video = dir.resolve("clip.mkv"); // Matroska states its duration up front, so a reader knows the length
        int frames = SyntheticVideo.write(video, 160, 120, 10, 3);
        byte[] bytes = Files.readAllBytes(video);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/clip.mkv", exchange -> {
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        CameraConfig camera = CameraConfig.fromSettings(Map.of("id", "served-1",
                "source", "http://127.0.0.1:" + server.getAddress().getPort() + "/clip.mkv", "maxSide", 64));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("frames", 2);
            try (Ingest ingest = Ingest.start(quickRetries(kafka, camera))) {
                assertTrue(ingest.await(Duration.ofMinutes(1)), "the camera ended by itself at the file's end");
                ingest.close();
                CameraStats stats = ingest.stats().get("served-1");
                assertEquals(frames, stats.read(), "read to its end once: " + stats.summary());
                assertEquals(0, stats.reconnects(), stats.summary());
                // an HTTP source counts as live, so what it decodes faster than Kafka takes is dropped, and counted
                assertEquals(frames, stats.published() + stats.droppedBacklog(), stats.summary());
                assertNull(stats.error());
            }
        } finally {
            server.stop(0);
        }
    }

    /** Reconnection after 0.2 s, doubling up to 1 s, without end. */
    private static IngestSettings quickRetries(EmbeddedKafka kafka, CameraConfig camera) {
        return new IngestSettings(kafka.bootstrapServers(), "frames", List.of(camera), Map.of(),
                Duration.ofSeconds(10), 4, Duration.ofMillis(200), Duration.ofSeconds(1), false, 0, false);
    }

    /** The camera's frames in the topic: its sequence only grows, on after the restart too. */
    private static void assertSequenceGoesOn(EmbeddedKafka kafka, String cameraId, long publishedBeforeStop,
                                             int width) {
        List<ConsumerRecord<String, VideoFrame>> records = FrameTopic.readAll(kafka.bootstrapServers(), "frames");
        assertTrue(records.size() >= publishedBeforeStop + 5, records.size() + " records");
        long previous = -1;
        for (ConsumerRecord<String, VideoFrame> r : records) {
            assertEquals(cameraId, r.key());
            assertTrue(r.value().getSequence() > previous, "sequence increases across the reconnection");
            previous = r.value().getSequence();
            assertEquals(width, r.value().getWidth());
        }
        assertTrue(previous >= publishedBeforeStop + 4, "sequence continued after the restart: last " + previous);
    }

    private static boolean rtspServerInstalled() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', '1.0'); "
                + "from gi.repository import GstRtspServer").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** GStreamer's RTSP server (src/test/resources/.../rtsp_server.py) on this port, once it listens. */
    private static Process rtsp(int port) throws Exception {
        Path script = Path.of(LiveSourceReconnectTest.class.getResource("rtsp_server.py").toURI());
        Path log = Files.createTempFile("rtsp-server", ".log");
        Process p = new ProcessBuilder(PYTHON, script.toString(), String.valueOf(port))
                .redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        if (!"ready".equals(out.readLine())) { // null when it exited
            fail("the RTSP server did not start: " + Files.readString(log));
        }
        return p;
    }

    /** ffmpeg as a one-client HTTP server streaming the video in a loop at its native rate, as MPEG-TS. */
    private static Process serve(Path video, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1",
                "-i", video.toString(), "-c", "copy", "-f", "mpegts", "-listen", "1",
                "http://127.0.0.1:" + port + "/live.ts")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // Probing the port would take the server's only client slot: watch the kernel's socket table instead.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listening(port)) {
            if (!p.isAlive()) fail("ffmpeg server exited with code " + p.exitValue());
            if (System.nanoTime() > deadline) fail("ffmpeg server did not listen on port " + port);
            Thread.sleep(50);
        }
        return p;
    }

    private static boolean listening(int port) throws IOException {
        String hexPort = String.format(":%04X ", port);
        // /proc/net/tcp: local_address (hex ip:port) and st 0A = LISTEN
        return Files.readAllLines(Path.of("/proc/net/tcp")).stream()
                .anyMatch(line -> line.contains(hexPort) && line.trim().split("\\s+")[3].equals("0A"));
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what, CameraStats stats)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what + ": " + stats.summary() + ", error " + stats.error());
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
