package io.emostream.cli.demo;

import io.emostream.processors.FailureStage;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.VideoFrame;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's accounting of input frames, fed as a ResultReader would feed it. */
class ResultTallyTest {
    private final ResultTally tally = new ResultTally(true, true);

    @Test
    void aFrameIsLostUntilAModelAnswersAndCompleteOnlyWhenBothHave() {
        tally.frame(0, 7, frame("cam", 3));
        assertEquals(1, tally.lost());
        assertFalse(tally.complete());

        tally.detections(detections("cam", 3), 0);
        assertEquals(0, tally.lost());
        assertFalse(tally.complete(), "segmentation has not answered yet");

        tally.segmentation(segmentation("cam", 3), 0);
        assertTrue(tally.complete());
        assertEquals(1, tally.cameras().get("cam").detections);
        assertEquals(1, tally.cameras().get("cam").segmentations);
    }

    @Test
    void aDeadLetterOfOneModelAnswersThatModelOnly() {
        tally.frame(1, 4, frame("cam", 0));
        tally.deadLetter(deadLetter(1, 4, FailureStage.DETECT));
        assertEquals(0, tally.lost());
        assertFalse(tally.complete(), "segmentation still owes an answer");

        tally.segmentation(segmentation("cam", 0), 0);
        assertTrue(tally.complete());
        assertEquals(1, tally.deadLetters());
        assertEquals(1, tally.cameras().get("cam").deadLetters, "the dead letter is counted for its frame's camera");
    }

    @Test
    void anUnreadableFrameIsAnsweredOnlyByTheDeadLetterAtItsOffset() {
        tally.unreadableFrame(2, 9);
        tally.deadLetter(deadLetter(2, 8, FailureStage.DESERIALIZE));
        assertEquals(1, tally.frames());
        assertEquals(1, tally.lost(), "a dead letter for another offset does not answer it");

        tally.deadLetter(deadLetter(2, 9, FailureStage.DESERIALIZE));
        assertEquals(0, tally.lost());
        assertTrue(tally.complete());
    }

    private static VideoFrame frame(String camera, long sequence) {
        VideoFrame f = new VideoFrame();
        f.setCameraId(camera);
        f.setSequence(sequence);
        return f;
    }

    private static FrameDetections detections(String camera, long sequence) {
        FrameDetections d = result(new FrameDetections(), camera, sequence);
        d.setDetections(List.of());
        return d;
    }

    private static FrameSegmentation segmentation(String camera, long sequence) {
        return result(new FrameSegmentation(), camera, sequence);
    }

    /** A result record with only the fields the tally reads. */
    private static <T extends SpecificRecordBase> T result(T record, String camera, long sequence) {
        record.put("cameraId", camera);
        record.put("sequence", sequence);
        record.put("inferenceTimestamp", Instant.EPOCH);
        return record;
    }

    private static DeadLetter deadLetter(int partition, long offset, FailureStage stage) {
        DeadLetter l = new DeadLetter();
        l.setPartition(partition);
        l.setOffset(offset);
        l.setStage(stage.id());
        return l;
    }
}
