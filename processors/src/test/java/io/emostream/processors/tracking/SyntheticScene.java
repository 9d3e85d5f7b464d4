package io.emostream.processors.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded scene for measuring the tracker: objects (people and cars) moving about a 1280 x 720 frame with slowly
 * changing velocities, turning back near its edges and passing each other; at 25 frames/s with some frames skipped
 * (capture-time gaps); detections with box noise, missed detections, low scores and false positives.
 */
final class SyntheticScene {
    static final int WIDTH = 1280;
    static final int HEIGHT = 720;
    private static final long FRAME_MS = 40;
    private static final double SKIP_PROBABILITY = 0.03;
    private static final double MISS_PROBABILITY = 0.08;
    private static final double LOW_SCORE_PROBABILITY = 0.2;
    private static final double FALSE_POSITIVE_PROBABILITY = 0.5;
    private static final double BOX_NOISE = 0.03;
    /** Standard deviation of the velocity's random walk, px/s after one second. */
    private static final double ACCELERATION = 40;
    private static final double MAX_SPEED = 200; // px/s
    private static final double EDGE_MARGIN = 120; // px
    private static final double EDGE_PUSH = 400; // px/s^2

    /** Where an object really is. */
    record Truth(int objectId, Box box) { }

    /** One frame the tracker gets, with the truth it is measured against. */
    record Frame(long captureMs, List<Truth> truths, List<Observation> detections) { }

    private static final class SceneObject {
        final int id;
        final int classId;
        final double width;
        final double height;
        double x;
        double y;
        double vx;
        double vy;

        SceneObject(int id, Random random) {
            this.id = id;
            this.classId = random.nextBoolean() ? 0 : 2;
            this.width = classId == 0 ? 30 + 20 * random.nextDouble() : 80 + 40 * random.nextDouble();
            this.height = classId == 0 ? 60 + 40 * random.nextDouble() : 50 + 20 * random.nextDouble();
            this.x = width + (WIDTH - 2 * width) * random.nextDouble();
            this.y = height + (HEIGHT - 2 * height) * random.nextDouble();
            double speed = 20 + 140 * random.nextDouble(); // px/s
            double direction = 2 * Math.PI * random.nextDouble();
            this.vx = speed * Math.cos(direction);
            this.vy = speed * Math.sin(direction);
        }

        /** Random acceleration, a push back from near the edges, and a top speed: objects turn, never bounce. */
        void move(double seconds, Random random) {
            double ax = ACCELERATION * random.nextGaussian() / Math.sqrt(seconds) + push(x, WIDTH);
            double ay = ACCELERATION * random.nextGaussian() / Math.sqrt(seconds) + push(y, HEIGHT);
            vx += ax * seconds;
            vy += ay * seconds;
            double speed = Math.hypot(vx, vy);
            if (speed > MAX_SPEED) {
                vx *= MAX_SPEED / speed;
                vy *= MAX_SPEED / speed;
            }
            x += vx * seconds;
            y += vy * seconds;
        }

        private static double push(double position, double extent) {
            if (position < EDGE_MARGIN) return EDGE_PUSH;
            if (position > extent - EDGE_MARGIN) return -EDGE_PUSH;
            return 0;
        }

        Box box() {
            return Box.ofCentre(x, y, width, height);
        }
    }

    private SyntheticScene() { }

    static List<Frame> generate(long seed, int objects, int frames) {
        Random random = new Random(seed);
        List<SceneObject> scene = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            scene.add(new SceneObject(i, random));
        }
        List<Frame> result = new ArrayList<>();
        long t = 0;
        while (result.size() < frames) {
            t += FRAME_MS;
            for (SceneObject o : scene) {
                o.move(FRAME_MS / 1000.0, random);
            }
            if (random.nextDouble() < SKIP_PROBABILITY) continue;
            List<Truth> truths = new ArrayList<>();
            List<Observation> detections = new ArrayList<>();
            for (SceneObject o : scene) {
                truths.add(new Truth(o.id, o.box()));
                if (random.nextDouble() < MISS_PROBABILITY) continue;
                double size = (o.width + o.height) / 2;
                Box noisy = Box.ofCentre(o.x + noise(random, size), o.y + noise(random, size),
                        o.width + noise(random, size), o.height + noise(random, size));
                float score = random.nextDouble() < LOW_SCORE_PROBABILITY
                        ? (float) (0.15 + 0.35 * random.nextDouble()) : (float) (0.5 + 0.5 * random.nextDouble());
                detections.add(new Observation(o.classId, label(o.classId), score, noisy));
            }
            if (random.nextDouble() < FALSE_POSITIVE_PROBABILITY) {
                int classId = random.nextBoolean() ? 0 : 2;
                double w = 20 + 80 * random.nextDouble();
                double h = 20 + 80 * random.nextDouble();
                detections.add(new Observation(classId, label(classId), (float) (0.1 + 0.6 * random.nextDouble()),
                        Box.ofCentre(w + (WIDTH - 2 * w) * random.nextDouble(),
                                h + (HEIGHT - 2 * h) * random.nextDouble(), w, h)));
            }
            result.add(new Frame(t, truths, detections));
        }
        return result;
    }

    private static double noise(Random random, double size) {
        return BOX_NOISE * size * random.nextGaussian();
    }

    private static String label(int classId) {
        return classId == 0 ? "person" : "car";
    }
}
