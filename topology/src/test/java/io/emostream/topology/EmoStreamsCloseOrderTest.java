package io.emostream.topology;

import io.emostream.models.detection.DetectionResult;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.models.runtime.SharedPredictor;
import io.emostream.models.segmentation.SegmentationResult;
import io.emostream.processors.ProcessingSettings;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EmoStreams} and Kafka Streams may be closed in either order: each processor holds its own model handle. */
class EmoStreamsCloseOrderTest {
    private static final Topics TOPICS = new Topics("frames", "detections", "segmentations", "frames-dlq");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void closingEmoStreamsBeforeTheStreamsStillAnswersFramesAndTheLastProcessorClosesTheModels() throws Exception {
        FakePredictor<DetectionResult> detector = FakePredictor.detector();
        FakePredictor<SegmentationResult> segmenter = FakePredictor.segmenter();
        RuntimeConfig runtime = RuntimeConfig.defaults();
        EmoStreams emo = EmoStreams.owning(
                SharedPredictor.open("close-order detector", runtime, () -> detector),
                SharedPredictor.open("close-order segmenter", runtime, () -> segmenter),
                ProcessingSettings.defaults());
        StreamsBuilder builder = new StreamsBuilder();
        emo.process(builder, TOPICS.frames()).to(TOPICS);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "emostream-close-order-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, START)) {
            TestInputTopic<byte[], byte[]> frames = driver.createInputTopic(TOPICS.frames(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, FrameDetections> detections = driver.createOutputTopic(TOPICS.detections(),
                    new StringDeserializer(), AvroSerdes.frameDetections().deserializer());
            TestOutputTopic<String, FrameSegmentation> segmentations = driver.createOutputTopic(
                    TOPICS.segmentations(), new StringDeserializer(), AvroSerdes.frameSegmentation().deserializer());
            TestOutputTopic<String, DeadLetter> deadLetters = driver.createOutputTopic(TOPICS.deadLetters(),
                    new StringDeserializer(), AvroSerdes.deadLetter().deserializer());

            emo.close(); // before the streams: drops only the creator's handles
            byte[] jpeg = TestFrames.jpeg(64, 48);
            for (long seq = 0; seq < 3; seq++) {
                frames.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8), TestFrames.bytes(
                        TestFrames.frame("cam-1", seq, START.toEpochMilli() - 40, 64, 48, jpeg)));
            }

            assertEquals(List.of(), deadLetters.readValuesToList().stream().map(DeadLetter::getErrorMessage).toList(),
                    "no frame became a dead letter");
            assertEquals(List.of(0L, 1L, 2L),
                    detections.readValuesToList().stream().map(FrameDetections::getSequence).toList());
            assertEquals(List.of(0L, 1L, 2L),
                    segmentations.readValuesToList().stream().map(FrameSegmentation::getSequence).toList());
            assertFalse(detector.closed() || segmenter.closed(), "the running processor keeps the models open");
        }
        assertTrue(detector.closed() && segmenter.closed(), "the last processor to close closes the models");
    }
}
