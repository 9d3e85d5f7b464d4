package io.emostream.cli.e2e;

import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.EmoStreams;
import io.emostream.processors.FailureStage;
import io.emostream.topology.Topics;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.DeadLetterReason;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Named;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end flows against a real broker (embedded or a container): frames produced with a real producer, the
 * application built from configuration with real EMO models, results read back with a read_committed consumer.
 */
final class PipelineScenarios {
    static final int PARTITIONS = 4;
    static final int CAMERAS = 3;
    /** A wait for results fails when nothing new arrives for this long. */
    private static final Duration RESULT_STALL = Duration.ofSeconds(180);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final String bootstrapServers;
    private final Path stateDir;
    private final Map<String, String> overrides;
    private final List<String> cameras = TestFrames.camerasOnDistinctPartitions(CAMERAS, PARTITIONS);

    PipelineScenarios(String bootstrapServers, Path stateDir) {
        this(bootstrapServers, stateDir, Map.of());
    }

    /** @param overrides application settings over the scenarios' own, in every application they start */
    PipelineScenarios(String bootstrapServers, Path stateDir, Map<String, String> overrides) {
        this.bootstrapServers = bootstrapServers;
        this.stateDir = stateDir;
        this.overrides = overrides;
    }

    record FrameId(String camera, long sequence) { }

    /**
     * One instance, two stream threads, {@code framesPerCamera} frames per camera with two corrupt ones mixed in:
     * every good frame yields exactly one detection and one segmentation record, in camera order; the corrupt ones
     * reach the dead-letter topic with their reason and original bytes.
     */
    void everyFrameGetsOneDetectionAndOneSegmentationInCameraOrder(String guarantee, int framesPerCamera)
            throws Exception {
        EmoStreamAppConfig config = new EmoStreamAppConfig(settings(guarantee, 2));
        Topics topics = provision(config);

        byte[] garbage = "this is not a VideoFrame".getBytes(StandardCharsets.UTF_8);
        byte[] notAnImage = new byte[3000];
        Arrays.fill(notAnImage, (byte) 0x5a);
        FrameId garbageId = new FrameId(cameras.get(0), 2);
        FrameId badImageId = new FrameId(cameras.get(1), 3);
        byte[] badImageFrame = TestFrames.frame(badImageId.camera(), badImageId.sequence(), notAnImage);

        List<FrameId> good = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        byte[] image = TestFrames.jpeg(60);
        for (int seq = 0; seq < framesPerCamera; seq++) {
            for (String camera : cameras) {
                FrameId id = new FrameId(camera, seq);
                byte[] value = id.equals(garbageId) ? garbage : id.equals(badImageId) ? badImageFrame
                        : TestFrames.frame(camera, seq, image);
                if (!id.equals(garbageId) && !id.equals(badImageId)) good.add(id);
                records.add(new ProducerRecord<>(topics.frames(), camera, value));
            }
        }

        try (ResultCollector results = new ResultCollector(bootstrapServers, topics);
             EmoStreamApp app = EmoStreamApp.create(config)) {
            app.start();
            produce(records);
            results.pollUntil(r -> r.detections.size() >= good.size() && r.segmentations.size() >= good.size()
                    && r.deadLetters.size() >= 2, RESULT_STALL);
            results.drain(Duration.ofSeconds(2));

            assertExactlyOnce(good, results.detections, d -> new FrameId(d.getCameraId(), d.getSequence()));
            assertExactlyOnce(good, results.segmentations, s -> new FrameId(s.getCameraId(), s.getSequence()));
            assertCameraOrder(results.detections.stream().map(d -> new FrameId(d.getCameraId(), d.getSequence()))
                    .toList());
            assertCameraOrder(results.segmentations.stream().map(s -> new FrameId(s.getCameraId(),
                    s.getSequence())).toList());
            FrameDetections first = results.detections.get(0);
            assertEquals(TestFrames.WIDTH, first.getFrameWidth());
            assertFalse(first.getModel().getTrained(), "built-in weights are untrained and say so");
            FrameSegmentation seg = results.segmentations.get(0);
            assertEquals(seg.getMaskWidth() * seg.getMaskHeight(),
                    seg.getMask().getRunLengths().stream().mapToInt(Integer::intValue).sum(),
                    "the run-length mask covers the mask exactly");

            assertEquals(2, results.deadLetters.size(), results.deadLetters::toString);
            Map<String, DeadLetter> byStage = results.deadLetters.stream()
                    .collect(Collectors.toMap(DeadLetter::getStage, d -> d));
            DeadLetter notAFrame = byStage.get(FailureStage.DESERIALIZE.id());
            assertEquals(DeadLetterReason.NOT_A_FRAME, notAFrame.getReason());
            assertArrayEquals(garbage, bytes(notAFrame.getValue()));
            assertEquals(garbageId.camera(), new String(bytes(notAFrame.getKey()), StandardCharsets.UTF_8));
            assertEquals(topics.frames(), notAFrame.getTopic());
            DeadLetter badImage = byStage.get(FailureStage.DECODE.id());
            assertEquals("InvalidImageException", badImage.getErrorClass());
            assertEquals(DeadLetterReason.ENCODING_MISMATCH, badImage.getReason(), "0x5a bytes declared as JPEG");
            assertArrayEquals(badImageFrame, bytes(badImage.getValue()));
        }
    }

    /**
     * Two instances with one application id share the partitions; one is closed mid-stream and the other takes
     * over. With exactly_once_v2 every frame has exactly one result of each kind (read_committed); with
     * at_least_once every frame has at least one, and nothing else appears.
     */
    void twoInstancesShareThePartitionsAndTheSurvivorTakesOver(String guarantee, int framesPerCamera)
            throws Exception {
        Map<String, String> settings = settings(guarantee, 1);
        Topics topics = provision(new EmoStreamAppConfig(settings));
        byte[] image = TestFrames.jpeg(200);
        int third = framesPerCamera / 3;

        List<FrameId> all = new ArrayList<>();
        try (ResultCollector results = new ResultCollector(bootstrapServers, topics);
             EmoStreamApp a = EmoStreamApp.create(new EmoStreamAppConfig(withStateDir(settings, "a")));
             EmoStreamApp b = EmoStreamApp.create(new EmoStreamAppConfig(withStateDir(settings, "b")))) {
            a.start();
            b.start();
            awaitSharedAssignment(a.streams(), b.streams(), topics.frames());

            all.addAll(produceFrames(topics, 0, third, image));
            results.pollUntil(r -> covered(all, r), RESULT_STALL);
            assertTrue(processed(a.streams()) > 0 && processed(b.streams()) > 0,
                    "both instances processed frames: a=" + processed(a.streams()) + " b=" + processed(b.streams()));

            all.addAll(produceFrames(topics, third, 2 * third, image));
            int before = results.detections.size();
            results.pollUntil(r -> r.detections.size() > before, RESULT_STALL);
            a.close(); // mid-stream: some of these frames may still be in flight on a
            all.addAll(produceFrames(topics, 2 * third, framesPerCamera, image));
            results.pollUntil(r -> covered(all, r), RESULT_STALL);
            results.drain(Duration.ofSeconds(2));

            assertTrue(results.deadLetters.isEmpty(), results.deadLetters::toString);
            if (StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
                assertExactlyOnce(all, results.detections, d -> new FrameId(d.getCameraId(), d.getSequence()));
                assertExactlyOnce(all, results.segmentations, s -> new FrameId(s.getCameraId(), s.getSequence()));
            } else {
                assertAtLeastOnce(all, results.detections, d -> new FrameId(d.getCameraId(), d.getSequence()));
                assertAtLeastOnce(all, results.segmentations, s -> new FrameId(s.getCameraId(), s.getSequence()));
            }
        }
    }

    /**
     * Two {@link EmoStreams} under names of their own in one topology and one Kafka Streams instance: the lobby
     * cameras get detection, the road cameras segmentation, each group on its own model and topics. Every frame gets
     * exactly one result, in its own group's topic, from its own group's model, and nothing reaches the other group.
     */
    void twoEmoStreamsWithDifferentNamesShareOneTopology(int framesPerCamera) throws Exception {
        Map<String, String> settings = settings(StreamsConfig.AT_LEAST_ONCE, 1);
        EmoStreamAppConfig lobby = group(settings, "lobby", EmoStreamConfig.SEGMENTATION_ENABLED);
        EmoStreamAppConfig road = group(settings, "road", EmoStreamConfig.DETECTION_ENABLED);
        provision(lobby);
        provision(road);
        byte[] image = TestFrames.jpeg(90);

        try (EmoStreams lobbyEmo = EmoStreams.create(lobby);
             EmoStreams roadEmo = EmoStreams.create(road);
             ResultCollector lobbyResults = new ResultCollector(bootstrapServers, lobby.topics());
             ResultCollector roadResults = new ResultCollector(bootstrapServers, road.topics())) {
            StreamsBuilder builder = new StreamsBuilder();
            lobbyEmo.process(builder, lobby.topics().frames(), Named.as("lobby")).to(lobby.topics());
            roadEmo.process(builder, road.topics().frames(), Named.as("road")).to(road.topics());
            List<FrameId> lobbyFrames;
            List<FrameId> roadFrames;
            StreamsConfig streamsConfig = new StreamsConfig(lobby.streamsProperties());
            try (KafkaStreams streams = new KafkaStreams(builder.build(), streamsConfig)) {
                streams.start();
                lobbyFrames = produceFrames(lobby.topics(), 0, framesPerCamera, image);
                roadFrames = produceFrames(road.topics(), 0, framesPerCamera + 1, image);
                lobbyResults.pollUntil(r -> r.detections.size() >= lobbyFrames.size(), RESULT_STALL);
                roadResults.pollUntil(r -> r.segmentations.size() >= roadFrames.size(), RESULT_STALL);
                lobbyResults.drain(Duration.ofSeconds(2));
                roadResults.drain(Duration.ofSeconds(1));
            }

            assertExactlyOnce(lobbyFrames, lobbyResults.detections, d -> new FrameId(d.getCameraId(), d.getSequence()));
            assertExactlyOnce(roadFrames, roadResults.segmentations, s -> new FrameId(s.getCameraId(),
                    s.getSequence()));
            assertTrue(lobbyResults.segmentations.isEmpty() && lobbyResults.deadLetters.isEmpty(),
                    lobbyResults::toString);
            assertTrue(roadResults.detections.isEmpty() && roadResults.deadLetters.isEmpty(), roadResults::toString);
            String lobbyModel = lobbyEmo.models().get(0).card().name();
            String roadModel = roadEmo.models().get(0).card().name();
            assertNotEquals(lobbyModel, roadModel);
            assertTrue(lobbyResults.detections.stream().allMatch(d -> d.getModel().getName().equals(lobbyModel)));
            assertTrue(roadResults.segmentations.stream().allMatch(s -> s.getModel().getName().equals(roadModel)));
        }
    }

    /** One camera group of {@code settings}: topics of its own, {@code turnedOff} (a model) set to false. */
    private static EmoStreamAppConfig group(Map<String, String> settings, String group, String turnedOff) {
        Map<String, String> s = new HashMap<>(settings);
        for (String topic : List.of(EmoStreamConfig.FRAMES_TOPIC, EmoStreamConfig.DETECTIONS_TOPIC,
                EmoStreamConfig.SEGMENTATIONS_TOPIC, EmoStreamConfig.DEAD_LETTER_TOPIC)) {
            s.put(topic, group + "-" + settings.get(topic));
        }
        s.put(turnedOff, "false");
        return new EmoStreamAppConfig(s);
    }

    private Map<String, String> settings(String guarantee, int threads) {
        String name = "e2e-" + guarantee.replace('_', '-') + "-" + RUNS.incrementAndGet();
        Map<String, String> s = TestApps.settings(bootstrapServers, stateDir, name, PARTITIONS);
        s.putAll(TestModels.settings());
        s.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        s.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads));
        // the plugin's own results and topics; CameraAnalyticsPipelineTest runs the analytics end to end
        s.put(CameraAnalytics.ENABLED, "false");
        s.putAll(overrides);
        return s;
    }

    private static Map<String, String> withStateDir(Map<String, String> settings, String instance) {
        Map<String, String> s = new HashMap<>(settings);
        s.put(StreamsConfig.STATE_DIR_CONFIG, settings.get(StreamsConfig.STATE_DIR_CONFIG) + "-" + instance);
        return s;
    }

    /** Creates the application's topics; returns their names. */
    private Topics provision(EmoStreamAppConfig config) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            assertEquals(4, TopicProvisioner.ensure(admin, config).size(), "all four topics created");
            assertEquals(PARTITIONS, admin.describeTopics(List.of(config.topics().frames())).allTopicNames().get()
                    .get(config.topics().frames()).partitions().size(), "created with leaders, so described at once");
        }
        Files.createDirectories(stateDir);
        return config.topics();
    }

    private List<FrameId> produceFrames(Topics topics, int fromSeq, int toSeq, byte[] image) {
        List<FrameId> ids = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int seq = fromSeq; seq < toSeq; seq++) {
            for (String camera : cameras) {
                ids.add(new FrameId(camera, seq));
                records.add(new ProducerRecord<>(topics.frames(), camera, TestFrames.frame(camera, seq, image)));
            }
        }
        produce(records);
        return ids;
    }

    private void produce(List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new StringSerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    /** Until each instance runs some of the frames topic's partitions and together all of them. */
    private static void awaitSharedAssignment(KafkaStreams a, KafkaStreams b, String frames)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (activePartitions(a, frames) + activePartitions(b, frames) != PARTITIONS
                || activePartitions(a, frames) == 0 || activePartitions(b, frames) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the two instances did not share the " + PARTITIONS + " partitions of "
                        + frames + ": a has " + activePartitions(a, frames) + ", b has "
                        + activePartitions(b, frames));
            }
            Thread.sleep(100);
        }
    }

    private static long activePartitions(KafkaStreams streams, String topic) {
        if (streams.state() != KafkaStreams.State.RUNNING) return 0;
        return streams.metadataForLocalThreads().stream()
                .flatMap(t -> t.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(partition -> partition.topic().equals(topic))
                .count();
    }

    /** Records processed by this instance's stream threads (Kafka Streams' own thread metric). */
    private static double processed(KafkaStreams streams) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("process-total")
                        && e.getKey().group().equals("stream-thread-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    private static boolean covered(List<FrameId> frames, ResultCollector r) {
        return r.detections.stream().map(d -> new FrameId(d.getCameraId(), d.getSequence())).distinct().count()
                >= frames.size()
                && r.segmentations.stream().map(s -> new FrameId(s.getCameraId(), s.getSequence())).distinct().count()
                >= frames.size();
    }

    private static <T> void assertExactlyOnce(List<FrameId> expected, List<T> results, Function<T, FrameId> id) {
        Map<FrameId, Long> counts = results.stream().collect(Collectors.groupingBy(id, LinkedHashMap::new,
                Collectors.counting()));
        assertEquals(expected.size(), results.size(), "one result per frame, got " + counts);
        for (FrameId frame : expected) assertEquals(1L, counts.get(frame), "results for " + frame);
    }

    private static <T> void assertAtLeastOnce(List<FrameId> expected, List<T> results, Function<T, FrameId> id) {
        Map<FrameId, Long> counts = results.stream().collect(Collectors.groupingBy(id, Collectors.counting()));
        for (FrameId frame : expected) assertTrue(counts.getOrDefault(frame, 0L) >= 1, "no result for " + frame);
        assertEquals(expected.size(), counts.size(), "results only for input frames: " + counts.keySet());
    }

    private static void assertCameraOrder(List<FrameId> results) {
        Map<String, Long> last = new HashMap<>();
        for (FrameId r : results) {
            Long previous = last.put(r.camera(), r.sequence());
            assertTrue(previous == null || previous < r.sequence(),
                    r.camera() + ": frame " + r.sequence() + " after " + previous);
        }
    }

    private static byte[] bytes(ByteBuffer buf) {
        byte[] out = new byte[buf.remaining()];
        buf.duplicate().get(out);
        return out;
    }
}
