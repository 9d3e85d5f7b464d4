package io.emostream.cli.e2e;

import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.fixtures.StandInPredictor;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.Predictors;
import io.emostream.models.runtime.BatcherMetrics;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.Predictor;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.EmoStreams;
import io.emostream.topology.Topics;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.LifecycleSettings;
import io.emostream.topology.app.TopicProvisioner;
import io.emostream.topology.http.HttpSettings;
import io.emostream.topology.ops.HealthPages;
import io.emostream.topology.ops.MetricsPage;
import io.emostream.topology.ops.Telemetry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run application in operation, over real HTTP on the embedded broker with real EMO models: {@code /metrics}
 * scraped and checked against what happened to the frames, readiness across a rebalance and during the models'
 * warm-up, liveness after a fatal error.
 */
class OperationsPipelineTest {
    private static final int PARTITIONS = 2;
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @RegisterExtension
    static final BrokerWithTestModels kafka = new BrokerWithTestModels();

    @TempDir
    static Path stateDir;

    @Test
    void metricsScrapedOverHttpAddUpToWhatHappenedToTheFrames() throws Exception {
        EmoStreamAppConfig config = new EmoStreamAppConfig(settings("metrics", Map.of()));
        Topics topics = provision(config);
        List<String> cameras = TestFrames.camerasOnDistinctPartitions(PARTITIONS, PARTITIONS);
        byte[] image = TestFrames.jpeg(120);
        byte[] notAnImage = new byte[2000];
        Arrays.fill(notAnImage, (byte) 0x5a);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int seq = 0; seq < 5; seq++) {
            for (String camera : cameras) {
                records.add(new ProducerRecord<>(topics.frames(), camera, TestFrames.frame(camera, seq, image)));
            }
        }
        int good = records.size();
        records.add(new ProducerRecord<>(topics.frames(), cameras.get(0), "not a frame".getBytes(StandardCharsets.UTF_8)));
        records.add(new ProducerRecord<>(topics.frames(), cameras.get(1), TestFrames.frame(cameras.get(1), 9,
                notAnImage)));

        try (ResultCollector results = new ResultCollector(kafka.bootstrapServers(), topics);
             EmoStreamApp app = EmoStreamApp.create(config)) {
            app.start();
            awaitStatus(app, HealthPages.READY, 200);
            PrometheusText before = scrape(app);
            kafka.send(records);
            results.pollUntil(r -> r.detections.size() >= good && r.segmentations.size() >= good
                    && r.deadLetters.size() >= 2, WAIT);
            // the meters count just after each record is handed on: wait for the last of them
            PrometheusText after = awaitScrape(app, m -> m.sum("emostream_frames_processed_total") == records.size()
                    && m.sum("emostream_results_total") == 2 * good
                    && m.sum("emostream_dead_letters_total") == 2);

            assertEquals(records.size(), after.sum("emostream_frames_processed_total", "pipeline=\"emostream\""),
                    "frames processed = records in");
            assertEquals(1, after.sum("emostream_dead_letters_total", "reason=\"NOT_A_FRAME\"",
                    "stage=\"deserialize\""));
            assertEquals(1, after.sum("emostream_dead_letters_total", "reason=\"ENCODING_MISMATCH\"",
                    "stage=\"decode\""));
            assertEquals(results.deadLetters.size(), after.sum("emostream_dead_letters_total"));
            assertEquals(0, after.sum("emostream_frames_skipped_too_old_total"));
            for (String task : List.of("detection", "segmentation")) {
                String taskTag = "task=\"" + task + "\"";
                assertEquals(good, after.sum("emostream_results_total", taskTag), task);
                assertEquals(good, after.sum("emostream_frame_latency_seconds_count", taskTag), task);
                assertEquals(good, after.sum("emostream_frame_latency_seconds_bucket", taskTag, "le=\"+Inf\""));
                assertEquals(good, delta(before, after, "emostream_model_requests_total", taskTag),
                        task + " requests: one per good frame");
                assertEquals(good, after.weightedSum("emostream_model_batches_total",
                                set -> Integer.parseInt(PrometheusText.label(set, "size")), taskTag)
                                - before.weightedSum("emostream_model_batches_total",
                                set -> Integer.parseInt(PrometheusText.label(set, "size")), taskTag),
                        task + ": the batch sizes add up to the requests");
                assertEquals(delta(before, after, "emostream_model_batches_total", taskTag),
                        delta(before, after, "emostream_model_session_seconds_count", taskTag), task);
                assertEquals(0, delta(before, after, "emostream_model_failures_total", taskTag), task);
            }
            assertEquals(results.detections.size(), after.sum("emostream_results_total", "task=\"detection\""));
            assertTrue(after.sum("kafka_stream_thread_process_total") >= records.size(), "Kafka Streams' own "
                    + "meters through the binder: " + after.samples("kafka_stream_thread_process_total"));
            assertTrue(after.sum("process_resident_memory_bytes") > 0);
            assertTrue(after.sum("jvm_buffer_memory_used_bytes", "id=\"direct\"") > 0, "the batchers' input "
                    + "buffers are direct memory");

            HttpResponse<String> live = get(app, HealthPages.LIVE);
            assertEquals(200, live.statusCode());
            assertTrue(live.body().contains("\"status\":\"UP\""), live.body());
        }
    }

    @Test
    void readinessTurnsFalseWhileARebalanceLastsLongerThanItsLimitAndTrueOnceRunningAgain() throws Exception {
        Map<String, String> settings = settings("rebalance", Map.of(LifecycleSettings.HEALTH_REBALANCE_MAX_MS, "0"));
        provision(new EmoStreamAppConfig(settings));
        try (EmoStreamApp a = EmoStreamApp.create(new EmoStreamAppConfig(instance(settings, "a")))) {
            a.start();
            awaitStatus(a, HealthPages.READY, 200);
            // readiness as a's health saw each state change (a rebalance can be over before an HTTP poll sees it)
            List<String> seen = new CopyOnWriteArrayList<>();
            a.addStateListener((now, before) -> seen.add(now + " " + (a.health().ready().ok() ? "ready" : "not ready")));
            try (EmoStreamApp b = EmoStreamApp.create(new EmoStreamAppConfig(instance(settings, "b")))) {
                b.start(); // a rebalances to give b a share of the partitions
                awaitStatus(b, HealthPages.READY, 200);
                // a cooperative rebalance takes two rounds: b may run with no task between them
                Eventually.await("the instances share the tasks", Duration.ofSeconds(60),
                        () -> activeTasks(a.streams()) > 0 && activeTasks(b.streams()) > 0);
                awaitStatus(a, HealthPages.READY, 200);
                assertTrue(seen.contains("REBALANCING not ready"), "a was not ready while rebalancing: " + seen);
                Eventually.await("a ready again after the rebalance: " + seen, Duration.ofSeconds(60),
                        () -> seen.get(seen.size() - 1).equals("RUNNING ready"));
            }
        }
    }

    @Test
    void livenessTurnsFalseAfterAFatalErrorAndTheFailedThreadIsCounted() throws Exception {
        EmoStreamAppConfig config = new EmoStreamAppConfig(settings("fatal", Map.of(
                EmoStreamConfig.SEGMENTATION_ENABLED, "false")));
        Topics topics = provision(config);
        Telemetry telemetry = Telemetry.start();
        EmoStreams emo = EmoStreams.withPredictors(new BrokenDetector(), null, config.processingSettings(),
                telemetry.registry());
        try (EmoStreamApp app = new EmoStreamApp(config, emo, telemetry)) {
            app.start();
            awaitStatus(app, HealthPages.LIVE, 200);
            awaitStatus(app, HealthPages.READY, 200);
            kafka.send(List.of(new ProducerRecord<>(topics.frames(), "cam-0", TestFrames.frame("cam-0", 0,
                    TestFrames.jpeg(50)))));

            HttpResponse<String> live = awaitStatus(app, HealthPages.LIVE, 503);
            assertTrue(live.body().contains("\"status\":\"DOWN\"") && live.body().contains(BrokenDetector.FAILURE),
                    live.body());
            assertEquals(503, get(app, HealthPages.READY).statusCode());
            assertEquals(1, scrape(app).sum("emostream_stream_thread_failures_total"));
            assertEquals(KafkaStreams.State.ERROR, awaitState(app.streams(), KafkaStreams.State.ERROR));
        }
    }

    @Test
    void readinessAndProcessingWaitForTheModelsWarmUpWhichRunsOnARealSession() throws Exception {
        EmoStreamAppConfig config = new EmoStreamAppConfig(settings("warmup", Map.of(
                EmoStreamConfig.SEGMENTATION_ENABLED, "false", EmoStreamConfig.WARMUP_BATCH_SIZES, "1,2")));
        Topics topics = provision(config);
        Telemetry telemetry = Telemetry.start();
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (Predictor<DetectionResult> detector = Predictors.detector(
                     Path.of(config.getString(EmoStreamConfig.DETECTION_MODEL)), config.runtimeConfig());
             ResultCollector results = new ResultCollector(kafka.bootstrapServers(), topics);
             EmoStreamApp app = new EmoStreamApp(config, EmoStreams.withPredictors(new HeldWarmUp(detector, release),
                     null, config.processingSettings(), telemetry.registry()), telemetry)) {
            kafka.send(List.of(new ProducerRecord<>(topics.frames(), "cam-0", TestFrames.frame("cam-0", 0,
                    TestFrames.jpeg(50)))));
            app.start();
            HttpResponse<String> warming = awaitStatus(app, HealthPages.READY, 503);
            assertTrue(warming.body().contains("warming up the models"), warming.body());
            assertEquals(200, get(app, HealthPages.LIVE).statusCode(), "live while warming up");
            Thread.sleep(500);
            assertEquals(KafkaStreams.State.CREATED, app.streams().state(), "no frame is read before the warm-up");

            release.complete(null);
            awaitStatus(app, HealthPages.READY, 200);
            results.pollUntil(r -> r.detections.size() >= 1, WAIT);
            assertEquals(0, detector.metrics().failed());
        }
    }

    /** A real predictor whose warm-up (run for real) is reported only once the test releases it. */
    private record HeldWarmUp(Predictor<DetectionResult> real, CompletableFuture<Void> release)
            implements Predictor<DetectionResult> {
        @Override
        public ModelCard card() {
            return real.card();
        }

        @Override
        public String executionProvider() {
            return real.executionProvider();
        }

        @Override
        public CompletableFuture<Void> warmUp() {
            return real.warmUp().thenCombine(release, (a, b) -> null);
        }

        @Override
        public CompletableFuture<DetectionResult> submit(DecodedImage image) {
            return real.submit(image);
        }

        @Override
        public DetectionResult predict(DecodedImage image) throws InferenceException {
            return real.predict(image);
        }

        @Override
        public BatcherMetrics metrics() {
            return real.metrics();
        }

        @Override
        public void close() { } // the test closes the real one
    }

    /** Throws an Error from inside the processor: what no dead letter can absorb. */
    private static final class BrokenDetector extends StandInPredictor<DetectionResult> {
        static final String FAILURE = "simulated fatal failure inside the detector";

        BrokenDetector() {
            super(StandInPredictor.card("fixture-broken-detector", ModelCard.Task.DETECTION, List.of("person")));
        }

        @Override
        public CompletableFuture<DetectionResult> submit(DecodedImage image) {
            throw new Error(FAILURE);
        }

        @Override
        public DetectionResult predict(DecodedImage image) {
            throw new Error(FAILURE);
        }
    }

    private static Map<String, String> settings(String name, Map<String, String> extra) throws IOException {
        Map<String, String> s = TestApps.settings(kafka.bootstrapServers(), stateDir, "ops-" + name, PARTITIONS);
        s.putAll(TestModels.settings());
        s.put(CameraAnalytics.ENABLED, "false");
        s.put(HttpSettings.HTTP_BIND_ADDRESS, "127.0.0.1");
        s.put(HttpSettings.HTTP_ADVERTISED_HOST, "127.0.0.1");
        s.put(HttpSettings.HTTP_PORT, String.valueOf(freePort()));
        s.putAll(extra);
        return s;
    }

    /** One of several instances of {@code settings}: a state directory and an HTTP port of its own. */
    private static Map<String, String> instance(Map<String, String> settings, String instance) throws IOException {
        Map<String, String> s = new HashMap<>(settings);
        s.put(StreamsConfig.STATE_DIR_CONFIG, settings.get(StreamsConfig.STATE_DIR_CONFIG) + "-" + instance);
        s.put(HttpSettings.HTTP_PORT, String.valueOf(freePort()));
        return s;
    }

    private static Topics provision(EmoStreamAppConfig config) throws Exception {
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.ensure(admin, config);
        }
        Files.createDirectories(stateDir);
        return config.topics();
    }

    private static HttpResponse<String> get(EmoStreamApp app, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static PrometheusText scrape(EmoStreamApp app) throws IOException, InterruptedException {
        HttpResponse<String> r = get(app, MetricsPage.PATH);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                r.headers().toString());
        return new PrometheusText(r.body());
    }

    private static PrometheusText awaitScrape(EmoStreamApp app, java.util.function.Predicate<PrometheusText> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        PrometheusText last = scrape(app);
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = scrape(app);
        }
        return last;
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static HttpResponse<String> awaitStatus(EmoStreamApp app, String path, int status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> last = get(app, path);
        while (last.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = get(app, path);
        }
        assertEquals(status, last.statusCode(), path + ": " + last.body());
        return last;
    }

    private static KafkaStreams.State awaitState(KafkaStreams streams, KafkaStreams.State state) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (streams.state() != state && System.nanoTime() < deadline) Thread.sleep(50);
        return streams.state();
    }

    private static int activeTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
