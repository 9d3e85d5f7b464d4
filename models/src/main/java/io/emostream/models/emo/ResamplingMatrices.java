package io.emostream.models.emo;

/**
 * PyTorch's adaptive average pooling and bilinear resizing as constant matrices on row-major flattened maps, so that a
 * graph computes them with one MatMul, exactly, for map sizes the bins do not divide. Entry [in, out] is the weight of
 * input pixel {@code in} in output pixel {@code out}.
 */
final class ResamplingMatrices {
    private ResamplingMatrices() { }

    /**
     * {@code AdaptiveAvgPool2d}: output bin i of an axis of size n into m bins averages inputs
     * floor(i * n / m) up to (excluding) ceil((i + 1) * n / m); neighbouring bins overlap where m does not divide n.
     *
     * @return [h * w, outH * outW]
     */
    static float[] adaptiveAverage(int h, int w, int outH, int outW) {
        float[] m = new float[h * w * outH * outW];
        for (int i = 0; i < outH; i++) {
            int y0 = Math.floorDiv(i * h, outH), y1 = -Math.floorDiv(-(i + 1) * h, outH);
            for (int j = 0; j < outW; j++) {
                int x0 = Math.floorDiv(j * w, outW), x1 = -Math.floorDiv(-(j + 1) * w, outW);
                float weight = (float) (1.0 / ((y1 - y0) * (x1 - x0)));
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        m[(y * w + x) * outH * outW + i * outW + j] = weight;
                    }
                }
            }
        }
        return m;
    }

    /**
     * {@code interpolate(size, mode='bilinear', align_corners=False)}: output pixel o of an axis reads the input at
     * (o + 0.5) * in / out - 0.5, clamped at 0, blending its two neighbours (the last one repeats at the edge).
     *
     * @return [h * w, outH * outW]
     */
    static float[] bilinear(int h, int w, int outH, int outW) {
        float[] m = new float[h * w * outH * outW];
        for (int i = 0; i < outH; i++) {
            double[] ty = taps(i, h, outH);
            for (int j = 0; j < outW; j++) {
                double[] tx = taps(j, w, outW);
                int out = i * outW + j;
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        int in = (int) ty[a] * w + (int) tx[b];
                        m[in * outH * outW + out] += (float) (ty[2 + a] * tx[2 + b]);
                    }
                }
            }
        }
        return m;
    }

    /** {index0, index1, weight0, weight1} of output position o on an axis of in -> out pixels. */
    private static double[] taps(int o, int in, int out) {
        double src = Math.max(0, (o + 0.5) * in / out - 0.5);
        int i0 = Math.min((int) src, in - 1);
        int i1 = Math.min(i0 + 1, in - 1);
        double l1 = src - i0;
        return new double[]{i0, i1, 1 - l1, l1};
    }
}
