package io.emostream.cli.e2e;

import io.emostream.cli.ChildJvm;
import io.emostream.cli.Main;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.Topics;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.LifecycleSettings;
import io.emostream.topology.app.TopicProvisioner;
import io.emostream.topology.ops.HealthPages;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code emostream run} as a separate process, stopped with SIGTERM while frames keep arriving: it exits 0 within
 * {@code shutdown.timeout.ms} plus the models' close, every input offset it committed has its results, no frame
 * became a dead letter for being cut off, and an instance started afterwards gives every other frame its results
 * (at-least-once). Kafka Streams' commit interval is left at 30 s, so what was committed came from the close.
 */
class RunProcessShutdownTest {
    private static final int PARTITIONS = 2;
    private static final long SHUTDOWN_TIMEOUT_MS = 20_000;
    private static final long INFERENCE_TIMEOUT_MS = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(180);
    @RegisterExtension
    static final BrokerWithTestModels kafka = new BrokerWithTestModels();

    @TempDir
    static Path dir;

    private record Sent(String camera, long sequence, int partition, long offset) { }

    @Test
    void sigtermUnderLoadExitsZeroInTimeAndLeavesNoFrameWithoutAResult() throws Exception {
        int httpPort = freePort();
        Map<String, String> settings = settings();
        EmoStreamAppConfig config = new EmoStreamAppConfig(settings);
        Topics topics = config.topics();
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.ensure(admin, config);
        }
        Path configFile = dir.resolve("run.properties");
        Properties props = new Properties();
        props.putAll(settings);
        try (Writer out = Files.newBufferedWriter(configFile)) {
            props.store(out, "the SIGTERM test's run process");
        }
        Path log = Path.of("target", "run-sigterm-test.log").toAbsolutePath();
        Process run = start(configFile, httpPort, log);
        List<Sent> sent = new ArrayList<>();
        try (ResultCollector results = new ResultCollector(kafka.bootstrapServers(), topics);
             KafkaProducer<String, byte[]> producer = kafka.producer()) {
            awaitReady(run, httpPort, log);
            List<String> cameras = TestFrames.camerasOnDistinctPartitions(PARTITIONS, PARTITIONS);
            byte[] image = TestFrames.jpeg(70);
            long seq = 0;
            while (results.detections.size() < 8) { // frames keep arriving, faster than two cores answer them
                for (String camera : cameras) sent.add(send(producer, topics, camera, seq, image));
                seq++;
                results.drain(Duration.ofMillis(200));
                assertTrue(run.isAlive(), () -> "run died: " + ChildJvm.tail(log));
            }

            long stopAt = System.nanoTime();
            run.destroy(); // SIGTERM
            while (run.isAlive() && System.nanoTime() - stopAt < TimeUnit.MINUTES.toNanos(2)) {
                for (String camera : cameras) sent.add(send(producer, topics, camera, seq, image));
                seq++;
                run.waitFor(150, TimeUnit.MILLISECONDS);
            }
            long stoppedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);
            assertTrue(!run.isAlive(), () -> "still running 2 minutes after SIGTERM: " + ChildJvm.tail(log));
            assertEquals(Main.EXIT_OK, run.exitValue(), () -> "exit code after SIGTERM; log:\n" + ChildJvm.tail(log));
            assertTrue(stoppedMs < SHUTDOWN_TIMEOUT_MS + INFERENCE_TIMEOUT_MS, "stopped in " + stoppedMs + " ms");
            assertTrue(Files.readString(log).contains("SIGTERM received: stopping"), () -> ChildJvm.tail(log));

            Map<Integer, Long> committed = committedOffsets(topics.frames());
            List<Sent> done = sent.stream().filter(s -> s.offset() < committed.getOrDefault(s.partition(), 0L))
                    .toList();
            assertTrue(!done.isEmpty(), "the close committed what was processed: " + committed);
            results.pollUntil(r -> answered(r).containsAll(ids(done)), WAIT);
            assertEquals(List.of(), results.deadLetters.stream().map(d -> d.getStage() + ": "
                    + d.getErrorMessage()).toList(), "no frame was cut off into a dead letter");

            try (EmoStreamApp next = EmoStreamApp.create(config)) {
                next.start();
                results.pollUntil(r -> answered(r).containsAll(ids(sent)), WAIT);
            }
            assertEquals(List.of(), results.deadLetters.stream().map(d -> d.getStage() + ": "
                    + d.getErrorMessage()).toList());
        } finally {
            if (run.isAlive()) run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        TestModels.settings().forEach((k, v) -> s.put(k, Path.of(v).toAbsolutePath().toString()));
        s.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        s.put(StreamsConfig.APPLICATION_ID_CONFIG, "sigterm");
        s.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
        s.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        s.put(EmoStreamConfig.FRAMES_TOPIC, "sigterm-frames");
        s.put(EmoStreamConfig.DETECTIONS_TOPIC, "sigterm-detections");
        s.put(EmoStreamConfig.SEGMENTATIONS_TOPIC, "sigterm-segmentations");
        s.put(EmoStreamConfig.DEAD_LETTER_TOPIC, "sigterm-dlq");
        s.put(EmoStreamConfig.INFERENCE_TIMEOUT_MS, String.valueOf(INFERENCE_TIMEOUT_MS));
        s.put(EmoStreamAppConfig.TOPICS_PARTITIONS, String.valueOf(PARTITIONS));
        s.put(LifecycleSettings.SHUTDOWN_TIMEOUT_MS, String.valueOf(SHUTDOWN_TIMEOUT_MS));
        s.put(CameraAnalytics.ENABLED, "false");
        return s;
    }

    /** This JVM's classpath through an argument file: a long -cp on the command line crashes ONNX Runtime's JVM. */
    private static Process start(Path configFile, int httpPort, Path log) throws IOException {
        return ChildJvm.start(log, "run", "--config", configFile.toString(), "--http-port", String.valueOf(httpPort));
    }

    private static void awaitReady(Process run, int port, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + HealthPages.READY))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(run.isAlive(), () -> "run exited " + run.exitValue() + " before it was ready: " + ChildJvm.tail(log));
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notListeningYet) {
                // the process is still loading its models
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run never became ready: " + ChildJvm.tail(log));
    }

    private static Sent send(KafkaProducer<String, byte[]> producer, Topics topics, String camera, long seq,
                             byte[] image) throws Exception {
        RecordMetadata m = producer.send(new ProducerRecord<>(topics.frames(), camera,
                TestFrames.frame(camera, seq, image))).get(30, TimeUnit.SECONDS);
        return new Sent(camera, seq, m.partition(), m.offset());
    }

    private static Map<Integer, Long> committedOffsets(String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("sigterm")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        }
    }

    private static Set<String> ids(List<Sent> frames) {
        return frames.stream().map(s -> s.camera() + "#" + s.sequence()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Frames with both a detection and a segmentation. */
    private static Set<String> answered(ResultCollector r) {
        Set<String> detected = r.detections.stream().map(d -> d.getCameraId() + "#" + d.getSequence())
                .collect(Collectors.toSet());
        return r.segmentations.stream().map(s -> s.getCameraId() + "#" + s.getSequence())
                .filter(detected::contains).collect(Collectors.toSet());
    }


    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
