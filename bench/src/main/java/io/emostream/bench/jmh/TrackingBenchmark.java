package io.emostream.bench.jmh;

import io.emostream.processors.tracking.Box;
import io.emostream.processors.tracking.Observation;
import io.emostream.processors.tracking.Tracker;
import io.emostream.processors.tracking.TrackerResult;
import io.emostream.processors.tracking.TrackerSettings;
import io.emostream.processors.tracking.TrackerStates;
import io.emostream.schemas.serde.TrackerStateSerde;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One camera's tracking per frame with 50 objects, default settings: people and cars on smooth periodic paths about
 * a 1920 x 1080 frame at 25 frames/s (up to about 100 px/s), with box noise, 5 % of detections missed, 20 % at low
 * scores. The paths repeat every 500 frames while capture time keeps running, so the tracker stays in its steady
 * state however long JMH runs. {@code trackFrame}: the tracker alone; {@code trackFrameAndSerializeState}: what the
 * tracking processor does per frame, the tracker and the serialized state it writes to its store (and so to the
 * changelog).
 */
@State(Scope.Thread)
public class TrackingBenchmark {
    private static final int OBJECTS = 50;
    private static final int PERIOD = 500;
    private static final long FRAME_MS = 40;

    private final List<List<Observation>> frames = new ArrayList<>();
    private final TrackerSettings settings = TrackerSettings.defaults();
    private final TrackerStateSerde serde = new TrackerStateSerde();
    private Tracker tracker;
    private long frame;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        double[][] paths = new double[OBJECTS][];
        for (int o = 0; o < OBJECTS; o++) {
            boolean person = o % 3 != 0;
            paths[o] = new double[] {
                200 + 1520 * random.nextDouble(), 150 + 780 * random.nextDouble(), // centre of the path
                50 + 250 * random.nextDouble(), 50 + 150 * random.nextDouble(),   // amplitudes
                2 * Math.PI * random.nextDouble(), 2 * Math.PI * random.nextDouble(), // phases
                person ? 30 + 20 * random.nextDouble() : 90 + 40 * random.nextDouble(),
                person ? 70 + 30 * random.nextDouble() : 50 + 20 * random.nextDouble(),
                person ? 0 : 2};
        }
        for (int f = 0; f < PERIOD; f++) {
            double angle = 2 * Math.PI * f / PERIOD;
            List<Observation> observations = new ArrayList<>(OBJECTS);
            for (double[] p : paths) {
                if (random.nextDouble() < 0.05) continue;
                double noise = 0.03 * (p[6] + p[7]) / 2;
                int classId = (int) p[8];
                float score = (float) (random.nextDouble() < 0.2 ? 0.15 + 0.35 * random.nextDouble()
                        : 0.5 + 0.5 * random.nextDouble());
                observations.add(new Observation(classId, classId == 0 ? "person" : "car", score, Box.ofCentre(
                        p[0] + p[2] * Math.sin(angle + p[4]) + noise * random.nextGaussian(),
                        p[1] + p[3] * Math.sin(angle + p[5]) + noise * random.nextGaussian(),
                        p[6] + noise * random.nextGaussian(), p[7] + noise * random.nextGaussian())));
            }
            frames.add(observations);
        }
        tracker = new Tracker(settings);
        for (int f = 0; f < PERIOD; f++) {
            next(tracker);
        }
    }

    private TrackerResult next(Tracker camera) {
        long f = frame++;
        return camera.update(f * FRAME_MS, frames.get((int) (f % PERIOD)));
    }

    @Benchmark
    public TrackerResult trackFrame() {
        return next(tracker);
    }

    @Benchmark
    public byte[] trackFrameAndSerializeState() {
        next(tracker);
        return serde.serialize("", TrackerStates.save("cam", tracker));
    }
}
