package io.emostream.bench.jmh;

import io.emostream.processors.tracking.Observation;
import io.emostream.processors.tracking.Tracker;
import io.emostream.processors.tracking.TrackerResult;
import io.emostream.processors.tracking.TrackerSettings;
import io.emostream.processors.tracking.TrackerStates;
import io.emostream.processors.tracking.TrackRecords;
import io.emostream.schemas.serde.TrackerStateSerde;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;

/**
 * One camera's tracking per frame of the {@link StreetScene} (50 objects), default settings. {@code trackFrame}: the
 * tracker alone, on observations prepared beforehand; {@code trackFrameAndSerializeState}: what the tracking
 * processor does per frame, the tracker and the serialized state it writes to its store (and so to the changelog).
 */
@State(Scope.Thread)
public class TrackingBenchmark {
    private final TrackerSettings settings = TrackerSettings.defaults();
    private final TrackerStateSerde serde = new TrackerStateSerde();
    private List<List<Observation>> frames;
    private Tracker tracker;
    private long frame;

    @Setup
    public void setUp() {
        frames = new StreetScene().period().stream().map(TrackRecords::observations).toList();
        tracker = new Tracker(settings);
        for (int f = 0; f < StreetScene.PERIOD; f++) {
            next();
        }
    }

    private TrackerResult next() {
        long f = frame++;
        return tracker.update(f * StreetScene.FRAME_MS, frames.get((int) (f % StreetScene.PERIOD)));
    }

    @Benchmark
    public TrackerResult trackFrame() {
        return next();
    }

    @Benchmark
    public byte[] trackFrameAndSerializeState() {
        next();
        return serde.serialize("", TrackerStates.save("cam", tracker));
    }
}
