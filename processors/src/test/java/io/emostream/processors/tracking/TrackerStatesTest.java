package io.emostream.processors.tracking;

import io.emostream.schemas.TrackerState;
import io.emostream.schemas.serde.TrackerStateSerde;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrackerStatesTest {

    @Test
    void aTrackerRestoredFromItsSerializedStateContinuesExactlyAsTheOriginal() {
        TrackerSettings settings = TrackerSettings.defaults();
        List<SyntheticScene.Frame> frames = SyntheticScene.generate(11, 6, 120);
        Tracker original = new Tracker(settings);
        for (SyntheticScene.Frame frame : frames.subList(0, 60)) {
            original.update(frame.captureMs(), frame.detections());
        }
        TrackerStateSerde serde = new TrackerStateSerde();
        byte[] bytes = serde.serialize("changelog", TrackerStates.save("cam-1", original));
        TrackerState state = serde.deserialize("changelog", bytes);
        assertEquals("cam-1", state.getCameraId());
        Tracker restored = TrackerStates.restore(state, settings);

        for (SyntheticScene.Frame frame : frames.subList(60, 120)) {
            assertEquals(original.update(frame.captureMs(), frame.detections()),
                    restored.update(frame.captureMs(), frame.detections()), "frame at " + frame.captureMs());
        }
        assertEquals(original.nextTrackId(), restored.nextTrackId());
    }
}
