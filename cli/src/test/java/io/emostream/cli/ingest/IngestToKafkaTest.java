package io.emostream.cli.ingest;

import io.emostream.ingest.CameraConfig;
import io.emostream.ingest.CameraStats;
import io.emostream.ingest.Ingest;
import io.emostream.ingest.IngestMetrics;
import io.emostream.ingest.IngestSettings;
import io.emostream.ingest.SyntheticVideo;
import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.VideoFrame;
import io.emostream.cli.Main;
import io.emostream.cli.embedded.BrokerPerClass;
import io.emostream.topology.app.TopicProvisioner;
import io.emostream.topology.ops.Telemetry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ingest command against a real broker: two cameras from one synthetic video into a 4-partition topic. */
class IngestToKafkaTest {
    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass();
    @TempDir
    static Path dir;
    private static Path video;

    @BeforeAll
    static void start() throws Exception {
        video = dir.resolve("synthetic.mp4");
        SyntheticVideo.write(video, 640, 360, 30, 3);
    }

    @Test
    void everySampledFrameOfTwoCamerasArrivesOnceInOrderAtTheRightSize() throws Exception {
        kafka.createTopic("frames-two", 4);
        Path cameras = Files.writeString(dir.resolve("cameras.yaml"), """
                cameras:
                  - {id: cam-a, source: %s}
                  - {id: cam-b, source: %s, maxSide: 160, metadata: {site: test}}
                """.formatted(video, video));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("ingest", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "frames-two",
                "--cameras", cameras.toString(), "--fps", "5", "--max-side", "320");
        assertEquals(0, code, "stdout: " + out + "\nstderr: " + err);

        Map<String, List<ConsumerRecord<String, VideoFrame>>> byCamera = new TreeMap<>();
        for (ConsumerRecord<String, VideoFrame> r : FrameTopic.readAll(kafka.bootstrapServers(), "frames-two")) {
            assertEquals(r.key(), r.value().getCameraId(), "key = camera id");
            byCamera.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        assertEquals(List.of("cam-a", "cam-b"), List.copyOf(byCamera.keySet()));
        Map<String, int[]> sizes = Map.of("cam-a", new int[]{320, 180}, "cam-b", new int[]{160, 90});
        for (var entry : byCamera.entrySet()) {
            List<ConsumerRecord<String, VideoFrame>> records = entry.getValue();
            // 3 s of 30 fps video at --fps 5: 15 frames, within one
            assertTrue(Math.abs(records.size() - 15) <= 1, entry.getKey() + ": " + records.size() + " frames");
            assertEquals(1, records.stream().map(ConsumerRecord::partition).distinct().count(), "one partition per camera");
            for (int i = 0; i < records.size(); i++) {
                VideoFrame f = records.get(i).value();
                assertEquals(i, f.getSequence(), "every sampled frame once, in order");
                assertArrayEquals(sizes.get(entry.getKey()), new int[]{f.getWidth(), f.getHeight()});
                assertArrayEquals(sizes.get(entry.getKey()), FrameTopic.decodedSize(f));
                assertEquals(f.getCaptureTimestamp().toEpochMilli(), records.get(i).timestamp(), "record time = capture time");
                if (i > 0) {
                    VideoFrame prev = records.get(i - 1).value();
                    assertTrue(f.getCaptureTimestamp().isAfter(prev.getCaptureTimestamp()), "capture time increases");
                    assertTrue(!f.getIngestTimestamp().isBefore(prev.getIngestTimestamp()), "ingest time never decreases");
                }
            }
        }
        assertEquals("test", byCamera.get("cam-b").get(0).value().getMetadata().get("site"));
        assertTrue(out.toString().contains("camera cam-a: 90 frames read"), out.toString());
    }

    @Test
    void perCameraMetersAddUpToWhatTheIngestReadSampledAndSent() throws Exception {
        kafka.createTopic("frames-metered", 2);
        CameraConfig camera = CameraConfig.fromSettings(Map.of("id", "cam-m", "source", video.toString(), "fps", "5",
                "maxSide", "160"));
        Map<String, CameraStats> stats;
        try (Ingest ingest = Ingest.start(IngestSettings.of(kafka.bootstrapServers(), "frames-metered",
                List.of(camera), Map.of()))) {
            assertTrue(ingest.await(Duration.ofMinutes(2)), "the 3 s video was read");
            ingest.close();
            stats = ingest.stats();
        }
        int inTopic = FrameTopic.readAll(kafka.bootstrapServers(), "frames-metered").size();
        try (Telemetry telemetry = Telemetry.start()) {
            new IngestMetrics(stats).bindTo(telemetry.registry());
            String text = telemetry.scrape();
            String cam = "{camera=\"cam-m\"";
            assertEquals(90, sample(text, "emostream_ingest_frames_captured_total" + cam + "}"), "3 s at 30 fps");
            assertEquals(inTopic, sample(text, "emostream_ingest_frames_sent_total" + cam + "}"));
            assertEquals(90 - inTopic, sample(text, "emostream_ingest_frames_sampled_out_total" + cam + "}"),
                    "all but the sent frames were sampled out at --fps 5");
            for (String reason : List.of("backlog", "too_large", "send_failed")) {
                assertEquals(0, sample(text, "emostream_ingest_frames_dropped_total" + cam + ",reason=\"" + reason
                        + "\"}"), reason);
            }
            assertEquals(stats.get("cam-m").bytes(), sample(text, "emostream_ingest_sent_bytes_total" + cam + "}"));
            assertEquals(inTopic, sample(text, "emostream_ingest_encode_seconds_count" + cam + "}"));
            assertTrue(sample(text, "emostream_ingest_encode_seconds_sum" + cam + "}") > 0);
            assertEquals(0, sample(text, "emostream_ingest_reconnects_total" + cam + "}"));
        }
    }

    @Test
    void metricsPortServesTheMetersAndLivenessWhileTheIngestRuns() throws Exception {
        kafka.createTopic("frames-served", 2);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cli.execute("ingest",
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "frames-served", "--camera", "cam-s",
                "--source", video.toString(), "--realtime", "--fps", "5", "--max-side", "160",
                "--metrics-port", String.valueOf(port)));
        HttpClient http = HttpClient.newHttpClient();
        String metrics = null;
        while (metrics == null && !run.isDone()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.body().lines().anyMatch(l -> l.startsWith("emostream_ingest_frames_sent_total{camera=\"cam-s\"} ")
                        && !l.endsWith(" 0.0"))) {
                    metrics = r.body();
                }
            } catch (IOException notYet) {
                // the ingest checks the broker before it serves
            }
            Thread.sleep(50);
        }
        assertTrue(metrics != null, "no /metrics answer with a sent frame while the ingest ran; stderr: " + err);
        assertTrue(metrics.contains("\nprocess_resident_memory_bytes "), "the process meters too");
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, live.statusCode(), live.body());
        assertEquals(0, run.get(2, TimeUnit.MINUTES), err::toString);
        assertFalse(portAnswers(http, port), "the server stops with the ingest");
    }

    private static boolean portAnswers(HttpClient http, int port) throws InterruptedException {
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The value of the one sample {@code series} (name and labels) in a Prometheus text. */
    private static double sample(String text, String series) {
        List<String> lines = text.lines().filter(l -> l.startsWith(series + " ")).toList();
        assertEquals(1, lines.size(), () -> series + " in\n" + text);
        return Double.parseDouble(lines.get(0).substring(series.length() + 1));
    }

    @Test
    void frameLargerThanTheTopicAllowsIsDroppedAndTheRunGoesOn() throws Exception {
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.create(admin, List.of(new NewTopic("frames-small", 2, (short) 1)
                    .configs(Map.of("max.message.bytes", "100000"))));
        }
        // raw BGR: 320x180x3 = 172,800 bytes does not fit, 64x36x3 = 6,912 does
        Path cameras = Files.writeString(dir.resolve("raw.yaml"), """
                defaults: {encoding: RAW_BGR24, fps: 5}
                cameras:
                  - {id: big, source: %s, maxSide: 320}
                  - {id: small, source: %s, maxSide: 64}
                """.formatted(video, video));
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        assertEquals(0, cli.execute("ingest", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "frames-small",
                "--cameras", cameras.toString()), out.toString());
        List<ConsumerRecord<String, VideoFrame>> records = FrameTopic.readAll(kafka.bootstrapServers(), "frames-small");
        assertTrue(records.stream().allMatch(r -> r.key().equals("small")), "no frame of the big camera arrived");
        assertTrue(Math.abs(records.size() - 15) <= 1, records.size() + " frames");
        for (ConsumerRecord<String, VideoFrame> r : records) {
            assertEquals(ImageEncoding.RAW_BGR24, r.value().getEncoding());
            assertEquals(64 * 36 * 3, r.value().getImage().remaining());
        }
        assertTrue(out.toString().matches("(?s).*camera big: .* published .* dropped 0 \\(backlog\\) \\+ 1[456] \\(too large\\).*"),
                out.toString());
    }
}
