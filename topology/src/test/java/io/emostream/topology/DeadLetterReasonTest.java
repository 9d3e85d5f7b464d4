package io.emostream.topology;

import io.emostream.models.detection.DetectionResult;
import io.emostream.models.image.ImageLimits;
import io.emostream.models.runtime.BatchRunner;
import io.emostream.models.runtime.Predictor;
import io.emostream.models.segmentation.SegmentationResult;
import io.emostream.processors.FailureStage;
import io.emostream.processors.ProcessingSettings;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.DeadLetterReason;
import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@link DeadLetterReason} a running topology writes, each produced by the failure it names: real frames and
 * real JPEG decoding for the image codes, the runtime's own batcher around a scripted session call for the model
 * codes.
 */
class DeadLetterReasonTest {
    private static final Topics TOPICS = new Topics("frames", "detections", "segmentations", "frames-dlq");
    private static final byte[] JPEG_64x48 = TestFrames.jpeg(64, 48);
    private static final VideoFrame GOOD = TestFrames.frame("cam-1", 4, 1_000, 64, 48, JPEG_64x48);

    /** Closed last-in first-out after each test. */
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    @AfterEach
    void closeAll() throws Exception {
        while (!toClose.isEmpty()) {
            toClose.pop().close();
        }
    }

    /** Runs one input value through the topology and returns the one dead letter it produced. */
    private DeadLetter deadLetterOf(byte[] value, Predictor<DetectionResult> detector, ProcessingSettings settings) {
        FakePredictor<SegmentationResult> segmenter = FakePredictor.segmenter();
        StreamsBuilder builder = new StreamsBuilder();
        EmoStreams.withPredictors(detector, segmenter, settings).process(builder, TOPICS.frames()).to(TOPICS);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "emostream-dead-letter-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props);
        toClose.push(driver);
        driver.createInputTopic(TOPICS.frames(), new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput("cam-1".getBytes(StandardCharsets.UTF_8), value);
        List<DeadLetter> letters = driver.createOutputTopic(TOPICS.deadLetters(), new StringDeserializer(),
                AvroSerdes.deadLetter().deserializer()).readValuesToList();
        assertEquals(1, letters.size(), () -> "expected one dead letter, got " + letters);
        return letters.get(0);
    }

    private DeadLetter deadLetterOf(VideoFrame frame) {
        return deadLetterOf(TestFrames.bytes(frame), FakePredictor.detector(), ProcessingSettings.defaults());
    }

    /** The dead letter of a good frame that only the detector fails on. */
    private DeadLetter detectorDeadLetter(Predictor<DetectionResult> detector, ProcessingSettings settings) {
        DeadLetter letter = deadLetterOf(TestFrames.bytes(GOOD), detector, settings);
        assertEquals(FailureStage.DETECT.id(), letter.getStage());
        return letter;
    }

    private ScriptedSessionDetector scripted(BatchRunner session) {
        ScriptedSessionDetector detector = new ScriptedSessionDetector(session);
        toClose.push(detector);
        return detector;
    }

    @Test
    void valueThatIsNotAVideoFrameReadsNotAFrame() {
        DeadLetter letter = deadLetterOf("plain text".getBytes(StandardCharsets.UTF_8), FakePredictor.detector(),
                ProcessingSettings.defaults());
        assertEquals(DeadLetterReason.NOT_A_FRAME, letter.getReason());
        assertEquals(FailureStage.DESERIALIZE.id(), letter.getStage());
    }

    @Test
    void truncatedJpegReadsCorruptImage() {
        byte[] half = Arrays.copyOf(JPEG_64x48, JPEG_64x48.length / 2);
        DeadLetter letter = deadLetterOf(TestFrames.frame("cam-1", 0, 1_000, 64, 48, half));
        assertEquals(DeadLetterReason.CORRUPT_IMAGE, letter.getReason());
        assertEquals(FailureStage.DECODE.id(), letter.getStage());
    }

    @Test
    void jpegDeclaredAsPngReadsEncodingMismatch() {
        VideoFrame mislabelled = VideoFrame.newBuilder(GOOD).setEncoding(ImageEncoding.PNG).build();
        assertEquals(DeadLetterReason.ENCODING_MISMATCH, deadLetterOf(mislabelled).getReason());
    }

    @Test
    void frameOverTheImageLimitsReadsOversizeImage() {
        DeadLetter letter = deadLetterOf(TestFrames.bytes(GOOD), FakePredictor.detector(),
                new ProcessingSettings(new ImageLimits(32, 32, 32 * 32, 1 << 20), 0, 60_000, 1_000_000));
        assertEquals(DeadLetterReason.OVERSIZE_IMAGE, letter.getReason());
    }

    @Test
    void frameOfAnotherSizeThanDeclaredReadsSizeMismatch() {
        DeadLetter letter = deadLetterOf(TestFrames.frame("cam-1", 0, 1_000, 640, 480, JPEG_64x48));
        assertEquals(DeadLetterReason.SIZE_MISMATCH, letter.getReason());
    }

    @Test
    void modelThatGivesNoAnswerInTimeReadsModelTimeout() {
        CountDownLatch stuck = new CountDownLatch(1);
        ScriptedSessionDetector detector = scripted((input, rows) -> {
            stuck.await();
            return ScriptedSessionDetector.answering(ScriptedSessionDetector.OUTPUT, 0).run(input, rows);
        });
        toClose.push(stuck::countDown); // before the detector closes, so that its hung session call returns
        DeadLetter letter = detectorDeadLetter(detector,
                new ProcessingSettings(ImageLimits.DEFAULT, 0, 200, 1_000_000));
        assertEquals(DeadLetterReason.MODEL_TIMEOUT, letter.getReason());
        assertTrue(letter.getErrorMessage().contains("no answer within 200 ms"), letter.getErrorMessage());
    }

    @Test
    void modelThatProducesNaNForTheFrameReadsNonFiniteOutput() {
        DeadLetter letter = detectorDeadLetter(scripted(ScriptedSessionDetector.answering(
                ScriptedSessionDetector.OUTPUT, Float.NaN)), ProcessingSettings.defaults());
        assertEquals(DeadLetterReason.NON_FINITE_OUTPUT, letter.getReason());
    }

    @Test
    void modelWhoseOutputsAreNotTheOnesItsCardNamesReadsOutputMismatch() {
        DeadLetter letter = detectorDeadLetter(scripted(ScriptedSessionDetector.answering("logits", 0.5f)),
                ProcessingSettings.defaults());
        assertEquals(DeadLetterReason.OUTPUT_MISMATCH, letter.getReason());
        assertTrue(letter.getErrorMessage().contains("no output '" + ScriptedSessionDetector.OUTPUT + "'"),
                letter.getErrorMessage());
    }

    @Test
    void sessionCallThatFailsReadsModelError() {
        DeadLetter letter = detectorDeadLetter(scripted((input, rows) -> {
            throw new IllegalStateException("simulated CUDA out of memory");
        }), ProcessingSettings.defaults());
        assertEquals(DeadLetterReason.MODEL_ERROR, letter.getReason());
        assertTrue(letter.getErrorMessage().contains("simulated CUDA out of memory"), letter.getErrorMessage());
    }

    @Test
    void modelClosedBeforeTheFrameArrivesReadsModelClosed() {
        ScriptedSessionDetector detector = scripted(ScriptedSessionDetector.answering(ScriptedSessionDetector.OUTPUT,
                0));
        detector.close();
        assertEquals(DeadLetterReason.MODEL_CLOSED, detectorDeadLetter(detector, ProcessingSettings.defaults())
                .getReason());
    }

    @Test
    void failureThatNoStepClassifiedReadsUnknownAndKeepsItsClassAndMessage() {
        FakePredictor<DetectionResult> detector = FakePredictor.detector();
        detector.failWith(new IllegalStateException("something unforeseen"));
        DeadLetter letter = detectorDeadLetter(detector, ProcessingSettings.defaults());
        assertEquals(DeadLetterReason.UNKNOWN, letter.getReason());
        assertEquals("IllegalStateException", letter.getErrorClass());
        assertEquals("something unforeseen", letter.getErrorMessage());
    }
}
