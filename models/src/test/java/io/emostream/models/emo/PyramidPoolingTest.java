package io.emostream.models.emo;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PSPNet's pyramid pooling level in ONNX Runtime against PyTorch's formulas computed directly in Java: adaptive average
 * pooling with bins from floor(i * n / m) to ceil((i + 1) * n / m), and bilinear upsampling with align_corners=false.
 * 16 x 16 is the stage-4 map at 512 input, where 3 and 6 bins overlap; 16 x 21 catches swapped axes.
 */
class PyramidPoolingTest {
    private static final int CHANNELS = 3;

    @ParameterizedTest(name = "{0} x {1} map into {2} x {2} bins")
    @CsvSource({"16, 16, 1", "16, 16, 2", "16, 16, 3", "16, 16, 6", "16, 21, 3", "16, 21, 6"})
    void poolingAndUpsamplingEqualPyTorchsFormulas(int h, int w, int bins) throws Exception {
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, Head.PSPNET);
        byte[] model = EmoNetwork.pyramidPoolingLevel(spec, CHANNELS, h, w, bins).toModel().toByteArray();
        long[] shape = {1, CHANNELS, h, w};
        float[] x = OrtSupport.randomInput(shape, bins * 31L + w);
        try (OrtSession session = OrtSupport.open(model)) {
            Map<String, OrtSupport.Output> out = OrtSupport.run(session, x, shape, 2);
            float[] pooled = adaptiveAveragePool(x, h, w, bins);
            float[] upsampled = bilinear(pooled, bins, bins, h, w);
            assertClose(twice(pooled), out.get("pooled").data(), "pooled");
            assertClose(twice(upsampled), out.get("upsampled").data(), "upsampled");
            if (h % bins != 0) {
                // the test tells PyTorch's overlapping bins from an even split of the rows
                float[] split = evenSplitPool(x, h, w, bins);
                assertTrue(maxDifference(split, pooled) > 1e-3, "overlapping bins differ from an even split");
            }
        }
    }

    /** PyTorch AdaptiveAvgPool2d, one output bin at a time. */
    private static float[] adaptiveAveragePool(float[] x, int h, int w, int bins) {
        float[] out = new float[CHANNELS * bins * bins];
        for (int c = 0; c < CHANNELS; c++) {
            for (int i = 0; i < bins; i++) {
                int y0 = (int) Math.floor((double) i * h / bins), y1 = (int) Math.ceil((double) (i + 1) * h / bins);
                for (int j = 0; j < bins; j++) {
                    int x0 = (int) Math.floor((double) j * w / bins), x1 = (int) Math.ceil((double) (j + 1) * w / bins);
                    out[(c * bins + i) * bins + j] = (float) mean(x, c, h, w, y0, y1, x0, x1);
                }
            }
        }
        return out;
    }

    /** Bins of floor(n / m) rows and columns, the last taking the rest: what a naive rebuild would do. */
    private static float[] evenSplitPool(float[] x, int h, int w, int bins) {
        float[] out = new float[CHANNELS * bins * bins];
        int sy = h / bins, sx = w / bins;
        for (int c = 0; c < CHANNELS; c++) {
            for (int i = 0; i < bins; i++) {
                for (int j = 0; j < bins; j++) {
                    out[(c * bins + i) * bins + j] = (float) mean(x, c, h, w, i * sy, i == bins - 1 ? h : (i + 1) * sy,
                            j * sx, j == bins - 1 ? w : (j + 1) * sx);
                }
            }
        }
        return out;
    }

    private static double mean(float[] x, int c, int h, int w, int y0, int y1, int x0, int x1) {
        double sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int xx = x0; xx < x1; xx++) {
                sum += x[(c * h + y) * w + xx];
            }
        }
        return sum / ((y1 - y0) * (x1 - x0));
    }

    /** PyTorch upsample_bilinear2d, align_corners=false, output size given. */
    private static float[] bilinear(float[] in, int ih, int iw, int oh, int ow) {
        float[] out = new float[CHANNELS * oh * ow];
        for (int c = 0; c < CHANNELS; c++) {
            for (int y = 0; y < oh; y++) {
                double sy = Math.max(0, (y + 0.5) * ih / oh - 0.5);
                int y0 = (int) sy, y1 = y0 < ih - 1 ? y0 + 1 : y0;
                double ly = sy - y0;
                for (int x = 0; x < ow; x++) {
                    double sx = Math.max(0, (x + 0.5) * iw / ow - 0.5);
                    int x0 = (int) sx, x1 = x0 < iw - 1 ? x0 + 1 : x0;
                    double lx = sx - x0;
                    out[(c * oh + y) * ow + x] = (float) ((1 - ly) * ((1 - lx) * at(in, c, ih, iw, y0, x0)
                            + lx * at(in, c, ih, iw, y0, x1))
                            + ly * ((1 - lx) * at(in, c, ih, iw, y1, x0) + lx * at(in, c, ih, iw, y1, x1)));
                }
            }
        }
        return out;
    }

    private static float at(float[] map, int c, int h, int w, int y, int x) {
        return map[(c * h + y) * w + x];
    }

    private static float[] twice(float[] item) {
        float[] both = new float[item.length * 2];
        System.arraycopy(item, 0, both, 0, item.length);
        System.arraycopy(item, 0, both, item.length, item.length);
        return both;
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertTrue(expected.length == actual.length, what + ": " + actual.length + " values, expected "
                + expected.length);
        double diff = maxDifference(expected, actual);
        assertTrue(diff < 1e-5, what + " differs by " + diff);
    }
}
