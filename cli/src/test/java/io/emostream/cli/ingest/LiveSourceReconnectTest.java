package io.emostream.cli.ingest;

import io.emostream.ingest.CameraConfig;
import io.emostream.ingest.CameraStats;
import io.emostream.ingest.Ingest;
import io.emostream.ingest.IngestSettings;
import io.emostream.ingest.SyntheticVideo;
import io.emostream.schemas.VideoFrame;
import io.emostream.cli.embedded.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A live HTTP source served by a real ffmpeg process (Debian package {@code ffmpeg}): the ingest keeps going when
 * the server is stopped and started again, and its sequence numbers continue.
 */
class LiveSourceReconnectTest {
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
            IngestSettings settings = new IngestSettings(kafka.bootstrapServers(), "frames", List.of(camera), Map.of(),
                    Duration.ofSeconds(10), 4, Duration.ofMillis(200), Duration.ofSeconds(1), false, 0, false);
            Process server = serve(video, port);
            long publishedBeforeStop;
            try (Ingest ingest = Ingest.start(settings)) {
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
            List<ConsumerRecord<String, VideoFrame>> records = FrameTopic.readAll(kafka.bootstrapServers(), "frames");
            assertTrue(records.size() >= publishedBeforeStop + 5, records.size() + " records");
            long previous = -1;
            for (ConsumerRecord<String, VideoFrame> r : records) {
                assertEquals("live-1", r.key());
                assertTrue(r.value().getSequence() > previous, "sequence increases across the reconnection");
                previous = r.value().getSequence();
                assertEquals(320, r.value().getWidth());
            }
            assertTrue(previous >= publishedBeforeStop + 4, "sequence continued after the restart: last " + previous);
        }
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
