package io.emostream.topology;

import io.emostream.models.detection.DetectionResult;
import io.emostream.models.segmentation.SegmentationResult;
import io.emostream.processors.FailureStage;
import io.emostream.processors.ProcessingSettings;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.kstream.Named;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Node names: today's by default, and several {@link EmoStreams} in one topology under names of their own. */
class EmoStreamsNamesTest {
    private static final Topics LOBBY = new Topics("lobby-frames", "lobby-detections", "lobby-segmentations",
            "lobby-dlq");
    private static final Topics ROAD = new Topics("road-frames", "road-detections", "road-segmentations",
            "road-dlq");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final byte[] JPEG = TestFrames.jpeg(64, 48);

    private final FakePredictor<DetectionResult> detector = FakePredictor.detector();
    private final FakePredictor<SegmentationResult> segmenter = FakePredictor.segmenter();
    /** The lobby cameras get detection only, the road cameras segmentation only: two groups on two models. */
    private final EmoStreams lobby = EmoStreams.withPredictors(detector, null, ProcessingSettings.defaults());
    private final EmoStreams road = EmoStreams.withPredictors(null, segmenter, ProcessingSettings.defaults());
    private TopologyTestDriver driver;

    @AfterEach
    void closeDriver() {
        if (driver != null) driver.close();
    }

    @Test
    void twoEmoStreamsWithDifferentNamesShareOneTopologyEachOnItsOwnTopicsAndModel() {
        StreamsBuilder builder = new StreamsBuilder();
        lobby.process(builder, LOBBY.frames(), Named.as("lobby")).to(LOBBY);
        road.process(builder, ROAD.frames(), Named.as("road")).to(ROAD);
        Topology topology = builder.build();
        assertTrue(nodeNames(topology).containsAll(Set.of("lobby-frames", "lobby-inference", "road-frames",
                "road-inference")), () -> nodeNames(topology).toString());

        driveAndCheckBothGroups(topology);
    }

    @Test
    void twoEmoStreamsWithDifferentNamesShareOneProcessorApiTopology() {
        Topology topology = new Topology()
                .addSource("lobby-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), LOBBY.frames())
                .addSource("road-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), ROAD.frames());
        lobby.addTo(topology, LOBBY, Named.as("lobby"), "lobby-source");
        road.addTo(topology, ROAD, Named.as("road"), "road-source");
        assertTrue(nodeNames(topology).containsAll(Set.of("lobby-inference", "lobby-results", "road-inference",
                "road-results")), () -> nodeNames(topology).toString());

        driveAndCheckBothGroups(topology);
    }

    @Test
    void withoutANameTheNodesKeepTheirEmostreamNames() {
        StreamsBuilder builder = new StreamsBuilder();
        lobby.process(builder, LOBBY.frames()).to(LOBBY);
        assertTrue(nodeNames(builder.build()).containsAll(Set.of("emostream-frames", "emostream-inference",
                "emostream-", "emostream-detections", "emostream-segmentations", "emostream-dead-letters")));

        Topology topology = new Topology().addSource("source", new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), LOBBY.frames());
        lobby.addTo(topology, LOBBY, "source");
        assertTrue(nodeNames(topology).containsAll(Set.of("emostream-inference", "emostream-results")));
    }

    @Test
    void aSecondEmoStreamsUnderTheSameNameIsRefusedByKafkaStreams() {
        StreamsBuilder builder = new StreamsBuilder();
        lobby.process(builder, LOBBY.frames());
        road.process(builder, ROAD.frames());
        TopologyException e = assertThrows(TopologyException.class, builder::build);
        assertTrue(e.getMessage().contains("emostream-"), e.getMessage());
    }

    @Test
    void nullArgumentsAreRefusedWithAMessageNamingThem() {
        StreamsBuilder builder = new StreamsBuilder();
        assertEquals("builder must not be null", assertThrows(NullPointerException.class,
                () -> lobby.process(null, LOBBY.frames())).getMessage());
        assertEquals("framesTopic must not be null", assertThrows(NullPointerException.class,
                () -> lobby.process(builder, null, Named.as("lobby"))).getMessage());
        assertEquals("named must not be null", assertThrows(NullPointerException.class,
                () -> lobby.process(builder, LOBBY.frames(), null)).getMessage());
        assertEquals("topics must not be null", assertThrows(NullPointerException.class,
                () -> lobby.addTo(new Topology(), null, "source")).getMessage());
        assertEquals("settings must not be null", assertThrows(NullPointerException.class,
                () -> EmoStreams.withPredictors(detector, null, null)).getMessage());
    }

    /** Lobby frames yield detections on the lobby topics only, road frames segmentations on the road topics only. */
    private void driveAndCheckBothGroups(Topology topology) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "emostream-names-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props, START);
        pipe(LOBBY, "lobby-cam", 2);
        pipe(ROAD, "road-cam", 3);
        driver.createInputTopic(ROAD.frames(), new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput("road-cam".getBytes(StandardCharsets.UTF_8), "not a frame".getBytes(StandardCharsets.UTF_8));

        assertEquals(List.of(0L, 1L), driver.createOutputTopic(LOBBY.detections(), new StringDeserializer(),
                AvroSerdes.frameDetections().deserializer()).readValuesToList().stream()
                .map(FrameDetections::getSequence).toList());
        assertEquals(List.of(0L, 1L, 2L), driver.createOutputTopic(ROAD.segmentations(), new StringDeserializer(),
                AvroSerdes.frameSegmentation().deserializer()).readValuesToList().stream()
                .map(FrameSegmentation::getSequence).toList());
        assertTrue(driver.createOutputTopic(LOBBY.segmentations(), new StringDeserializer(),
                AvroSerdes.frameSegmentation().deserializer()).isEmpty(), "the lobby group runs no segmentation");
        assertTrue(driver.createOutputTopic(ROAD.detections(), new StringDeserializer(),
                AvroSerdes.frameDetections().deserializer()).isEmpty(), "the road group runs no detection");
        assertTrue(deadLetters(LOBBY).isEmpty(), "the road group's bad record stays in the road group");
        DeadLetter roadDeadLetter = deadLetters(ROAD).get(0);
        assertEquals(ROAD.frames(), roadDeadLetter.getTopic());
        assertEquals(FailureStage.DESERIALIZE.id(), roadDeadLetter.getStage());
        assertEquals(2, detector.submitted(), "the lobby model saw the lobby frames only");
        assertEquals(3, segmenter.submitted(), "the road model saw the road frames only");
    }

    private void pipe(Topics topics, String camera, int frames) {
        var input = driver.createInputTopic(topics.frames(), new ByteArraySerializer(), new ByteArraySerializer());
        for (int seq = 0; seq < frames; seq++) {
            input.pipeInput(camera.getBytes(StandardCharsets.UTF_8), TestFrames.bytes(TestFrames.frame(camera, seq,
                    START.toEpochMilli(), 64, 48, JPEG)));
        }
    }

    private List<DeadLetter> deadLetters(Topics topics) {
        return driver.createOutputTopic(topics.deadLetters(), new StringDeserializer(),
                AvroSerdes.deadLetter().deserializer()).readValuesToList();
    }

    private static Set<String> nodeNames(Topology topology) {
        return topology.describe().subtopologies().stream()
                .flatMap(s -> s.nodes().stream())
                .map(TopologyDescription.Node::name)
                .collect(Collectors.toSet());
    }
}
