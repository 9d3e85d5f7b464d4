package io.emostream.bench.jmh;

import io.emostream.models.segmentation.RunLengthMask;
import io.emostream.processors.analytics.CameraConfigs;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.NormalizedBox;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.StageLatencies;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One camera's detections for the tracking and zone benchmarks: 50 people and cars on smooth periodic paths about a
 * 1920 x 1080 frame at 25 frames/s (up to about 100 px/s), with box noise, 5 % of detections missed, 20 % at low
 * scores. The paths repeat every {@value #PERIOD} frames while capture time keeps running ({@link #next}), so a
 * tracker stays in its steady state however long JMH runs. {@link #CONFIG} gives the camera three zones and two
 * lines across the paths; {@link #segmentation} is a DeepLabv3-style mask of the street and its first frame.
 */
final class StreetScene {
    static final int OBJECTS = 50;
    static final int PERIOD = 500;
    static final long FRAME_MS = 40;
    static final int WIDTH = 1920;
    static final int HEIGHT = 1080;
    static final String CAMERA = "cam-1";
    /** A kerb band along the bottom, a pavement on the left, a crossing in the middle; a gate and a stop line. */
    static final CameraConfig CONFIG = new CameraConfig(CAMERA, List.of(
            CameraConfigs.zone("kerb", 0, 0.8, 1, 0.8, 1, 1, 0, 1),
            CameraConfigs.zone("pavement", 0, 0.2, 0.25, 0.3, 0.3, 0.8, 0, 0.8),
            CameraConfigs.zone("crossing", 0.4, 0.35, 0.65, 0.35, 0.75, 0.75, 0.35, 0.75, 0.3, 0.55)),
            List.of(CameraConfigs.line("gate", 0.5, 0.1, 0.5, 0.9), CameraConfigs.line("stop", 0.1, 0.6, 0.9, 0.6)));
    private static final ModelInfo MODEL = new ModelInfo("emo-1m-ssdlite", "0.1.0", false, "cpu");
    /** ADE20K class ids of the street's parts. */
    private static final int BUILDING = 1, SKY = 2, TREE = 4, ROAD = 6, SIDEWALK = 11, PERSON = 12, CAR = 20;
    private static final Map<Integer, String> LABELS = Map.of(BUILDING, "building", SKY, "sky", TREE, "tree",
            ROAD, "road", SIDEWALK, "sidewalk", PERSON, "person", CAR, "car");

    private final List<FrameDetections> frames = new ArrayList<>(PERIOD);
    private long next;

    StreetScene() {
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
            List<Detection> detections = new ArrayList<>(OBJECTS);
            for (double[] p : paths) {
                if (random.nextDouble() < 0.05) continue;
                double noise = 0.03 * (p[6] + p[7]) / 2;
                int classId = (int) p[8];
                float score = (float) (random.nextDouble() < 0.2 ? 0.15 + 0.35 * random.nextDouble()
                        : 0.5 + 0.5 * random.nextDouble());
                double cx = p[0] + p[2] * Math.sin(angle + p[4]) + noise * random.nextGaussian();
                double cy = p[1] + p[3] * Math.sin(angle + p[5]) + noise * random.nextGaussian();
                double w = p[6] + noise * random.nextGaussian();
                double h = p[7] + noise * random.nextGaussian();
                detections.add(detection(classId, score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
            }
            frames.add(FrameDetections.newBuilder().setCameraId(CAMERA).setSequence(f)
                    .setCaptureTimestamp(Instant.EPOCH).setIngestTimestamp(Instant.EPOCH)
                    .setInferenceTimestamp(Instant.EPOCH).setFrameWidth(WIDTH).setFrameHeight(HEIGHT)
                    .setModel(MODEL).setDetections(detections).setLatencies(new StageLatencies(0f, 0f, 0f, 0f, 1))
                    .build());
        }
    }

    private static Detection detection(int classId, float score, double x1, double y1, double x2, double y2) {
        return new Detection(classId, classId == 0 ? "person" : "car", score,
                new PixelBox((float) x1, (float) y1, (float) x2, (float) y2),
                new NormalizedBox((float) (x1 / WIDTH), (float) (y1 / HEIGHT), (float) (x2 / WIDTH),
                        (float) (y2 / HEIGHT)));
    }

    /**
     * A side x side mask of the street, as DeepLabv3 gives one at its input size (the frame stretched): sky above
     * blocks of buildings and trees, a sidewalk, the road, and the first frame's people and cars, every edge ragged
     * by a pixel or two as a model's are. About a dozen runs per row.
     */
    FrameSegmentation segmentation(int side) {
        Random random = new Random(7);
        int[] labels = new int[side * side];
        int block = side / 16;
        for (int x0 = 0; x0 < side; x0 += block) {
            int top = (int) (side * (0.12 + 0.25 * random.nextDouble()));
            int kind = random.nextDouble() < 0.25 ? TREE : BUILDING;
            for (int y = 0; y < side; y++) {
                int roadTop = (int) (side * 0.55 + 3 * Math.sin(y * 0.05));
                for (int x = x0; x < Math.min(side, x0 + block); x++) {
                    int edge = top + random.nextInt(3) - 1;
                    labels[y * side + x] = y < edge ? SKY : y < side / 2 ? kind : y < roadTop ? SIDEWALK : ROAD;
                }
            }
        }
        for (Detection d : frames.get(0).getDetections()) {
            int x1 = (int) (d.getNormalizedBox().getX1() * side), x2 = (int) (d.getNormalizedBox().getX2() * side);
            int y1 = (int) (d.getNormalizedBox().getY1() * side), y2 = (int) (d.getNormalizedBox().getY2() * side);
            for (int y = Math.max(0, y1); y < Math.min(side, y2); y++) {
                int from = Math.max(0, x1 + random.nextInt(3) - 1);
                int to = Math.min(side, x2 + random.nextInt(3) - 1);
                if (from < to) Arrays.fill(labels, y * side + from, y * side + to, d.getClassId() == 0 ? PERSON : CAR);
            }
        }
        RunLengthMask mask = RunLengthMask.encode(labels, side, side, id -> LABELS.getOrDefault(id, "class " + id));
        return FrameSegmentation.newBuilder().setCameraId(CAMERA).setSequence(0)
                .setCaptureTimestamp(Instant.EPOCH).setIngestTimestamp(Instant.EPOCH)
                .setInferenceTimestamp(Instant.EPOCH).setFrameWidth(WIDTH).setFrameHeight(HEIGHT)
                .setMaskWidth(side).setMaskHeight(side)
                .setModel(new ModelInfo("emo-1m-deeplabv3", "0.1.0", false, "cpu"))
                .setMask(new io.emostream.schemas.RunLengthMask(Arrays.stream(mask.classIds()).boxed().toList(),
                        Arrays.stream(mask.runLengths()).boxed().toList()))
                .setClassFractions(mask.shares().stream()
                        .map(c -> new ClassFraction(c.classId(), c.label(), c.fraction())).toList())
                .setLatencies(new StageLatencies(0f, 0f, 0f, 0f, 1))
                .build();
    }

    /** The frames of one period, in order, their capture times unset. */
    List<FrameDetections> period() {
        return frames;
    }

    /** The next frame, its sequence and capture time one frame after the last one's. */
    FrameDetections next() {
        long f = next++;
        FrameDetections frame = frames.get((int) (f % PERIOD));
        frame.setSequence(f);
        frame.setCaptureTimestamp(Instant.ofEpochMilli(f * FRAME_MS));
        return frame;
    }
}
