package io.emostream.topology.view;

import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.VideoFrame;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class CameraFramesTest {
    private static final PendingFrame.ExpectedResults DETECTIONS_AND_MASKS =
            new PendingFrame.ExpectedResults(true, false, false, true);

    private static VideoFrame frame(long sequence) {
        VideoFrame frame = new VideoFrame();
        frame.setCameraId("cam");
        frame.setSequence(sequence);
        return frame;
    }

    @Test
    void aFrameLeavesTheJoinWithItsOwnResultsOnceEveryExpectedResultIsIn() {
        CameraFrames join = new CameraFrames();
        join.add(frame(3));
        join.add(frame(7));
        FrameDetections detections = new FrameDetections();
        FrameSegmentation segmentation = new FrameSegmentation();

        assertNull(join.attach(7, p -> p.detections = detections, DETECTIONS_AND_MASKS), "the mask is missing");
        assertNull(join.attach(5, p -> p.segmentation = new FrameSegmentation(), DETECTIONS_AND_MASKS),
                "frame 5 was not kept: its result is ignored");
        PendingFrame done = join.attach(7, p -> p.segmentation = segmentation, DETECTIONS_AND_MASKS);

        assertEquals(7L, done.frame.getSequence());
        assertSame(detections, done.detections);
        assertSame(segmentation, done.segmentation);
        assertNull(join.attach(7, p -> p.segmentation = segmentation, DETECTIONS_AND_MASKS), "it left the join");
        assertNull(join.attach(3, p -> p.detections = detections, DETECTIONS_AND_MASKS), "frame 3 still waits");
    }

    @Test
    void atMostFourFramesWaitAndTheOldestIsPushedOutWhenItsResultsNeverCome() {
        CameraFrames join = new CameraFrames();
        for (long s = 0; s < CameraFrames.CAPACITY + 2; s++) join.add(frame(s));

        for (long s = 0; s < 2; s++) {
            assertNull(join.attach(s, p -> { }, new PendingFrame.ExpectedResults(false, false, false, false)),
                    "frame " + s + " was pushed out");
        }
        for (long s = 2; s < CameraFrames.CAPACITY + 2; s++) {
            assertEquals(s, join.attach(s, p -> { }, new PendingFrame.ExpectedResults(false, false, false, false))
                    .frame.getSequence());
        }
    }
}
