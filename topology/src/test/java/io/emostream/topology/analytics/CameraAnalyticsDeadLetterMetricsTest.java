package io.emostream.topology.analytics;

import io.emostream.processors.DeadLetterMeter;
import io.emostream.processors.FailureStage;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.DeadLetterReason;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.RunLengthMask;
import io.emostream.schemas.StageLatencies;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.EmoStreamConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The camera analytics' dead letters are counted in {@code emostream_dead_letters_total}, pipeline
 * {@value CameraAnalytics#METRICS_PIPELINE}, by stage and reason, once per record written to the dead-letter topic.
 */
class CameraAnalyticsDeadLetterMetricsTest {
    private static final String DLQ = "frames-dlq";

    @Test
    void everyAnalyticsDeadLetterIsCountedByStageAndReason() {
        EmoStreamConfig config = new EmoStreamConfig(Map.of());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, FrameDetections> detections = builder.stream("detections",
                Consumed.with(Serdes.String(), AvroSerdes.frameDetections()));
        KStream<String, FrameSegmentation> segmentations = builder.stream("segmentations",
                Consumed.with(Serdes.String(), AvroSerdes.frameSegmentation()));
        CameraAnalytics.addTo(builder, detections, segmentations, config, 1 << 20, registry)
                .to(CameraAnalytics.topics(config), DLQ);

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analytics-metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<byte[], byte[]> cameraConfig = driver.createInputTopic(
                    CameraAnalytics.topics(config).cameraConfig(), new ByteArraySerializer(), new ByteArraySerializer());
            cameraConfig.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8),
                    "{\"zones\": []}".getBytes(StandardCharsets.UTF_8));
            cameraConfig.pipeInput("cam-2".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
            driver.createInputTopic("segmentations", new StringSerializer(), AvroSerdes.frameSegmentation().serializer())
                    .pipeInput("cam-1", segmentationWithShortMask());

            List<DeadLetter> written = driver.createOutputTopic(DLQ, new StringDeserializer(),
                    AvroSerdes.deadLetter().deserializer()).readValuesToList();
            assertEquals(3, written.size(), written::toString);
            assertEquals(2.0, count(registry, FailureStage.CAMERA_CONFIG.id(), DeadLetterReason.INVALID_CAMERA_CONFIG));
            assertEquals(1.0, count(registry, FailureStage.OCCUPANCY.id(), DeadLetterReason.UNUSABLE_RESULT));
            assertEquals(written.size(), registry.find(DeadLetterMeter.NAME).counters().stream()
                    .mapToDouble(Counter::count).sum(), "one count per dead letter written, no other");
        }
    }

    private static double count(SimpleMeterRegistry registry, String stage, DeadLetterReason reason) {
        Counter counter = registry.find(DeadLetterMeter.NAME).tag("pipeline", CameraAnalytics.METRICS_PIPELINE)
                .tag("stage", stage).tag("reason", reason.name()).counter();
        return counter == null ? 0 : counter.count();
    }

    /** A 10x10 mask whose runs cover 99 pixels: the occupancy stage cannot use it. */
    private static FrameSegmentation segmentationWithShortMask() {
        return FrameSegmentation.newBuilder().setCameraId("cam-1").setSequence(4)
                .setCaptureTimestamp(Instant.EPOCH).setIngestTimestamp(Instant.EPOCH)
                .setInferenceTimestamp(Instant.EPOCH).setFrameWidth(1000).setFrameHeight(1000)
                .setMaskWidth(10).setMaskHeight(10).setModel(new ModelInfo("fixture-masks", "0", false, "cpu"))
                .setMask(new RunLengthMask(List.of(0), List.of(99)))
                .setClassFractions(List.of(new ClassFraction(0, "floor", 0f)))
                .setLatencies(StageLatencies.newBuilder().build()).build();
    }
}
