package io.emostream.models.detection;

import io.emostream.models.card.ModelCard;

/**
 * mmdetection's AnchorGenerator (v2, as RetinaNet uses it) from a card's {@link ModelCard.GridAnchorSpec}, as
 * (cx, cy, w, h) in model-input pixels. Base anchors per level are ratio-major, scale-minor
 * ({@code scale_major=True}): for ratio r and scale k, w = stride * k / sqrt(r), h = stride * k * sqrt(r). Centres
 * sit at stride * (index + centerOffset), with no half-pixel shift at offset 0. Feature maps are ceil(input / stride)
 * per axis, as EMO's stride-2 convolutions (padding 1) and the FPN's extra levels give them.
 */
public final class GridAnchorGenerator {
    private GridAnchorGenerator() { }

    /** @return {@code total * 4} floats: cx, cy, w, h per anchor */
    public static float[] generate(ModelCard.GridAnchorSpec spec, int inputWidth, int inputHeight) {
        int[] starts = levelStarts(spec, inputWidth, inputHeight);
        float[] anchors = new float[starts[starts.length - 1] * 4];
        int perLocation = spec.anchorsPerLocation();
        double[] w = new double[perLocation];
        double[] h = new double[perLocation];
        int k = 0;
        for (float stride : spec.strides()) {
            for (int r = 0; r < spec.ratios().length; r++) {
                double hRatio = Math.sqrt(spec.ratios()[r]);
                for (int s = 0; s < spec.scalesPerOctave(); s++) {
                    double scale = spec.octaveBaseScale() * Math.pow(2, (double) s / spec.scalesPerOctave());
                    w[r * spec.scalesPerOctave() + s] = stride * scale / hRatio;
                    h[r * spec.scalesPerOctave() + s] = stride * scale * hRatio;
                }
            }
            int rows = side(inputHeight, stride), cols = side(inputWidth, stride);
            for (int row = 0; row < rows; row++) {
                double cy = stride * (row + (double) spec.centerOffset());
                for (int col = 0; col < cols; col++) {
                    double cx = stride * (col + (double) spec.centerOffset());
                    for (int a = 0; a < perLocation; a++) {
                        anchors[k++] = (float) cx;
                        anchors[k++] = (float) cy;
                        anchors[k++] = (float) w[a];
                        anchors[k++] = (float) h[a];
                    }
                }
            }
        }
        return anchors;
    }

    /** Index of the first anchor of each level, plus the total at the end. */
    public static int[] levelStarts(ModelCard.GridAnchorSpec spec, int inputWidth, int inputHeight) {
        int[] starts = new int[spec.strides().length + 1];
        for (int l = 0; l < spec.strides().length; l++) {
            float stride = spec.strides()[l];
            starts[l + 1] = starts[l] + side(inputHeight, stride) * side(inputWidth, stride) * spec.anchorsPerLocation();
        }
        return starts;
    }

    private static int side(int input, float stride) {
        return (int) Math.ceil(input / (double) stride);
    }
}
