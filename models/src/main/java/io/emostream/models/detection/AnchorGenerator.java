package io.emostream.models.detection;

import io.emostream.models.card.ModelCard;

/**
 * SSD prior boxes from a card's {@link ModelCard.AnchorSpec}, as (cx, cy, w, h) in model-input pixels. Per location:
 * (minSize, ratio 1), (sqrt(minSize * maxSize), ratio 1), then each listed aspect ratio r at minSize, with
 * r = height / width, so w = minSize / sqrt(r), h = minSize * sqrt(r); SSD lists both r and 1/r (EMO: 1/2, 2, 1/3, 3).
 * Centres at stride / 2 + stride * index. Flattened level by level, then row, column, anchor. Sizes are given for
 * {@code imageSize} and scaled to the actual input width and height.
 */
public final class AnchorGenerator {
    private AnchorGenerator() { }

    /** @return {@code total * 4} floats: cx, cy, w, h per anchor */
    public static float[] generate(ModelCard.AnchorSpec spec, int inputWidth, int inputHeight) {
        float[] anchors = new float[spec.total() * 4];
        double sx = (double) inputWidth / spec.imageSize();
        double sy = (double) inputHeight / spec.imageSize();
        int k = 0;
        for (ModelCard.AnchorLevel level : spec.levels()) {
            int n = level.anchorsPerLocation();
            double[] w = new double[n];
            double[] h = new double[n];
            w[0] = h[0] = level.minSize();
            w[1] = h[1] = Math.sqrt((double) level.minSize() * level.maxSize());
            for (int r = 0; r < level.aspectRatios().length; r++) {
                double root = Math.sqrt(level.aspectRatios()[r]);
                w[2 + r] = level.minSize() / root;
                h[2 + r] = level.minSize() * root;
            }
            for (int row = 0; row < level.featureSize(); row++) {
                double cy = level.stride() / 2.0 + level.stride() * row;
                for (int col = 0; col < level.featureSize(); col++) {
                    double cx = level.stride() / 2.0 + level.stride() * col;
                    for (int a = 0; a < n; a++) {
                        anchors[k++] = (float) (cx * sx);
                        anchors[k++] = (float) (cy * sy);
                        anchors[k++] = (float) (w[a] * sx);
                        anchors[k++] = (float) (h[a] * sy);
                    }
                }
            }
        }
        return anchors;
    }

    /** Index of the first anchor of each level, plus the total at the end. */
    public static int[] levelStarts(ModelCard.AnchorSpec spec) {
        int[] starts = new int[spec.levels().size() + 1];
        for (int l = 0; l < spec.levels().size(); l++) {
            starts[l + 1] = starts[l] + spec.levels().get(l).count();
        }
        return starts;
    }
}
