package io.emostream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.cli.demo.DemoCamerasConfig;
import io.emostream.cli.e2e.TestModels;
import io.emostream.topology.EmoStreamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo end to end (embedded broker, real ingest of a synthetic video, real models, the camera analytics and the
 * query API), bounded to a few frames.
 */
class DemoCommandTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "frames=(\\d+) detections=(\\d+) segmentations=(\\d+) dlq=(\\d+) lost=(\\d+)");
    private static final List<String> CAMERAS = List.of("demo-cam-1", "demo-cam-2");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void demoAnswersEveryFrameReportsTheCameraAnalyticsServesTheQueryApiWhileItRunsAndWritesAnnotatedVideos(
            @TempDir Path videos) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int port = freePort();
        Map<String, String> models = TestModels.settings();
        FutureTask<Integer> demo = new FutureTask<>(() -> cli.execute("demo", "--frames", "20",
                "--http-port", String.valueOf(port), "--annotate", videos.toString(),
                "-s", EmoStreamConfig.DETECTION_MODEL + "=" + models.get(EmoStreamConfig.DETECTION_MODEL),
                "-s", EmoStreamConfig.SEGMENTATION_MODEL + "=" + models.get(EmoStreamConfig.SEGMENTATION_MODEL)));
        new Thread(demo, "demo").start();
        List<String> listed = camerasListedWhileRunning(port, demo);
        int exit = demo.get(5, TimeUnit.MINUTES);

        String text = out.toString();
        List<String> lines = text.lines().toList();
        assertEquals(Main.EXIT_OK, exit, text);
        assertEquals(CAMERAS, listed, "GET /api/cameras during the run");
        assertTrue(lines.contains("live page: http://localhost:" + port + "/"), text);
        assertTrue(lines.contains("query API: http://localhost:" + port + "/api/cameras"), text);
        assertTrue(text.contains("UNTRAINED"), "untrained weights are labelled");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("camera analytics (UNTRAINED weights")), text);
        for (String camera : CAMERAS) {
            int at = lines.indexOf("  " + camera);
            assertTrue(at > 0, "an analytics block for " + camera + " in\n" + text);
            List<String> block = lines.subList(at + 1, at + 8);
            assertTrue(block.get(0).startsWith("    tracks: "), text);
            assertTrue(block.get(1).matches("    line " + DemoCamerasConfig.GATE + ": in \\d+, out \\d+"), text);
            assertTrue(block.get(2).matches("    zone " + DemoCamerasConfig.LOWER_HALF
                    + ": objects mean \\d+\\.\\d\\d, max \\d+; exits \\d+.*"), text);
            assertTrue(block.get(3).matches("    segmentation: \\S+ \\d+%.*"), text);
            assertTrue(block.get(4).matches("    segmentation in " + DemoCamerasConfig.LOWER_HALF
                    + ": \\S+ \\d+%.*"), text);
            assertTrue(block.get(5).matches("    camera-stats windows: [1-9]\\d* \\(\\d+ closed\\)"),
                    "ten frames span at least one window: " + text);
        }

        for (String camera : CAMERAS) {
            Path video = videos.resolve(camera + ".mp4");
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("wrote " + video + ": 10 frames, 320x240 at 10.00 "
                    + "fps; 0 without a result yet, 0 with dead letters")), text);
            assertTrue(Files.size(video) > 0, video::toString);
        }

        Matcher summary = SUMMARY.matcher(lines.get(lines.size() - 1));
        assertTrue(summary.matches(), "last line: " + lines.get(lines.size() - 1));
        long frames = Long.parseLong(summary.group(1));
        assertEquals(20, frames, "two cameras, ten frames each");
        assertEquals(frames, Long.parseLong(summary.group(2)));
        assertEquals(frames, Long.parseLong(summary.group(3)));
        assertEquals(0, Long.parseLong(summary.group(4)));
        assertEquals(0, Long.parseLong(summary.group(5)));
    }

    @Test
    void withSecureEveryClientOfTheDemoReachesItsBrokerOverSaslSslAndEveryFrameIsAnswered() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        Map<String, String> models = TestModels.settings();
        int exit = cli.execute("demo", "--secure", "--frames", "4", "--http-port", "0",
                "-s", EmoStreamConfig.DETECTION_MODEL + "=" + models.get(EmoStreamConfig.DETECTION_MODEL),
                "-s", EmoStreamConfig.SEGMENTATION_MODEL + "=" + models.get(EmoStreamConfig.SEGMENTATION_MODEL));

        String text = out.toString();
        List<String> lines = text.lines().toList();
        assertEquals(Main.EXIT_OK, exit, text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("embedded Kafka broker at 127\\.0\\.0\\.1:\\d+ \\(SASL_SSL: SCRAM-SHA-512 "
                + "user 'demo' over TLS.*")), text);
        assertEquals("frames=4 detections=4 segmentations=4 dlq=0 lost=0", lines.get(lines.size() - 1), text);
    }

    @Test
    void anHttpPortInUseFailsWithOneLineNamingTheOption() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        Map<String, String> models = TestModels.settings();
        try (ServerSocket taken = new ServerSocket(0)) {
            int exit = cli.execute("demo", "--frames", "2", "--http-port", String.valueOf(taken.getLocalPort()),
                    "-s", EmoStreamConfig.DETECTION_MODEL + "=" + models.get(EmoStreamConfig.DETECTION_MODEL),
                    "-s", EmoStreamConfig.SEGMENTATION_MODEL + "=" + models.get(EmoStreamConfig.SEGMENTATION_MODEL));
            assertEquals(Main.EXIT_USAGE, exit, err::toString);
            assertEquals(List.of("emostream demo: --http-port " + taken.getLocalPort() + " is not free"),
                    err.toString().lines().map(l -> l.replaceAll(" \\(.*", "")).toList(), err::toString);
        }
    }

    /** Polls GET /api/cameras until it lists every demo camera or the demo ends; returns the last list. */
    private static List<String> camerasListedWhileRunning(int port, FutureTask<Integer> demo)
            throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/cameras"))
                .build();
        List<String> listed = List.of();
        while (!demo.isDone() && !listed.equals(CAMERAS)) {
            try {
                HttpResponse<String> reply = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (reply.statusCode() == 200) listed = cameraIds(JSON.readTree(reply.body()));
            } catch (IOException notServingYet) {
                // the demo is still starting its broker and models
            }
            Thread.sleep(50);
        }
        return listed;
    }

    private static List<String> cameraIds(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("cameras").forEach(c -> ids.add(c.get("cameraId").asText()));
        return ids;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
