package io.emostream.topology;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.emostream.processors.FailureStage;
import io.emostream.processors.ProcessingSettings;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.DeadLetterReason;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.VideoFrame;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the frame path: hostile record values through deserialization, the image decoder and
 * the frame processor (with {@link FakePredictor}s as the models), asserting that each input gets both results or a
 * dead letter with a classified reason, and that nothing escapes the processor.
 *
 * <p>An input is either a whole record value (first byte even: mutated {@code VideoFrame} bytes), or (first byte
 * odd) {@code [encoding][width:4][height:4][image...]}, made into a well-formed {@code VideoFrame} whose declared
 * encoding and size may lie about its image. The committed inputs in {@code FramePathFuzzTestInputs/} replay in
 * every test run; {@code JAZZER_FUZZ=1} fuzzes (README, "Fuzzing").
 */
class FramePathFuzzTest {
    private static final Topics TOPICS = new Topics("frames", "detections", "segmentations", "frames-dlq");
    private static final byte[] KEY = "cam-fuzz".getBytes(StandardCharsets.UTF_8);
    private static final int HEADER = 1 + 1 + 4 + 4;

    private static FrameTopicsDriver io;

    @BeforeAll
    static void startTopology() {
        StreamsBuilder builder = new StreamsBuilder();
        EmoStreams.withPredictors(FakePredictor.detector(), FakePredictor.segmenter(), ProcessingSettings.defaults())
                .process(builder, TOPICS.frames()).to(TOPICS);
        io = FrameTopicsDriver.open(builder.build(), TOPICS, "emostream-frame-fuzz", Instant.EPOCH);
    }

    @AfterAll
    static void closeTopology() {
        io.close();
    }

    @FuzzTest(maxDuration = "30s")
    void everyValueGetsBothResultsOrOneClassifiedDeadLetter(byte[] input) {
        io.frames().pipeInput(KEY, valueOf(input)); // an exception escaping the processor fails here
        List<FrameDetections> detected = io.detections().readValuesToList();
        List<FrameSegmentation> segmented = io.segmentations().readValuesToList();
        List<DeadLetter> letters = io.deadLetters().readValuesToList();
        if (letters.isEmpty()) {
            assertEquals(1, detected.size(), "a frame without a dead letter gets one detection result");
            assertEquals(1, segmented.size(), "a frame without a dead letter gets one segmentation result");
            return;
        }
        assertEquals(1, letters.size(), () -> "one dead letter per refused value, got " + letters);
        DeadLetter letter = letters.get(0);
        assertTrue(letter.getStage().equals(FailureStage.DESERIALIZE.id())
                || letter.getStage().equals(FailureStage.DECODE.id()), () -> "refused at " + letter.getStage());
        assertTrue(detected.isEmpty() && segmented.isEmpty(), "a refused value gets no result");
        assertNotEquals(DeadLetterReason.UNKNOWN, letter.getReason(),
                () -> "unclassified " + letter.getErrorClass() + ": " + letter.getErrorMessage());
        assertNotNull(letter.getErrorMessage());
        assertFalse(letter.getErrorMessage().isBlank(), "the dead letter says what is wrong");
    }

    /** The record value an input stands for (see the class comment). */
    static byte[] valueOf(byte[] input) {
        if (input.length < HEADER || input[0] % 2 == 0) {
            return input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        }
        ByteBuffer header = ByteBuffer.wrap(input, 1, HEADER - 1);
        ImageEncoding encoding = ImageEncoding.values()[Math.floorMod(header.get(), ImageEncoding.values().length)];
        VideoFrame frame = TestFrames.frame("cam-fuzz", 1, 1_000, header.getInt(), header.getInt(),
                Arrays.copyOfRange(input, HEADER, input.length));
        frame.setEncoding(encoding);
        return TestFrames.bytes(frame);
    }
}
