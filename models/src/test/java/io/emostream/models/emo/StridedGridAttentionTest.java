package io.emostream.models.emo;

import ai.onnxruntime.OrtSession;
import io.emostream.models.card.ModelCard.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attention of docs/MODELS.md ("The iRMB block") computed directly in Java, token by token, against the graph:
 * zero padding after the norm up to whole windows, and groups that are strided grids (rows i mod n1, columns
 * j mod n2), not contiguous windows.
 */
class StridedGridAttentionTest {
    /** EMO-1M stage 3: 80 channels, 4 heads of 20, expanded to 240; 5x5 with window 2 pads to 6x6, a 3x3 grid. */
    private static final int STAGE = 3, H = 5, W = 5, WINDOW = 2;

    /** Maps (group, token index inside the group) to (row, column) of the padded map. */
    private interface Grouping {
        int[] position(int gi, int gj, int r, int s, int n1, int n2, int ws);
    }

    private static final Grouping STRIDED = (gi, gj, r, s, n1, n2, ws) -> new int[]{r * n1 + gi, s * n2 + gj};
    private static final Grouping CONTIGUOUS = (gi, gj, r, s, n1, n2, ws) -> new int[]{gi * ws + r, gj * ws + s};

    @ParameterizedTest(name = "attn_pre {0}")
    @ValueSource(booleans = {true, false})
    void attentionGroupsAStridedGridOfTheZeroPaddedMapNotContiguousWindows(boolean attnPre) throws Exception {
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, Task.DETECTION).withWindow(WINDOW).withAttnPre(attnPre);
        List<EmoNetwork.Param> params = EmoNetwork.attentionMixer(spec, STAGE, H, W, null).params();
        ParameterSet weights = new ParameterSet();
        SplittableRandom random = new SplittableRandom(11);
        for (EmoNetwork.Param p : params) {
            float[] v = new float[Math.toIntExact(p.spec().elements())];
            // non-trivial norm affine and biases, so padding (zeros after the norm) is distinguishable
            double std = p.spec().shape().length > 1 ? 0.2 : 0.5, mean = p.spec().name().endsWith("norm.weight") ? 1 : 0;
            for (int i = 0; i < v.length; i++) v[i] = (float) (mean + std * random.nextGaussian());
            weights.put(p.spec().name(), p.spec().shape(), v);
        }
        int c = spec.arch().width(STAGE);
        float[] x = new float[c * H * W];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();

        byte[] model = EmoNetwork.attentionMixer(spec, STAGE, H, W, weights).graph().toModel().toByteArray();
        float[] graph;
        try (OrtSession session = OrtSupport.open(model)) {
            graph = OrtSupport.run(session, x, new long[]{1, c, H, W}, 1).values().iterator().next().data();
        }
        float[] strided = reference(spec, weights, x, STRIDED);
        float[] contiguous = reference(spec, weights, x, CONTIGUOUS);
        double errStrided = maxAbsDiff(graph, strided), errContiguous = maxAbsDiff(graph, contiguous);
        assertTrue(errStrided < 1e-4, "graph vs strided-grid formula: " + errStrided);
        assertTrue(errContiguous > 1e-2, "graph should differ from contiguous windows: " + errContiguous);
    }

    /**
     * Per group of the padded LN(x) = t: with attn_pre u = GELU(Wv (A t) + bv), without it
     * u = A GELU(Wv t + bv), where A = softmax(q k^T / sqrt(dim_head)) per head.
     */
    private static float[] reference(ModelSpec spec, ParameterSet p, float[] x, Grouping grouping) {
        EmoArch a = spec.arch();
        int c = a.width(STAGE), dh = a.dimHead(STAGE), heads = c / dh, cMid = (int) (c * a.expRatio(STAGE));
        int ws = WINDOW, hp = (H + ws - 1) / ws * ws, wp = (W + ws - 1) / ws * ws, n1 = hp / ws, n2 = wp / ws;
        String b = "stage3.1.";
        float[] gamma = p.data(b + "norm.norm.weight"), beta = p.data(b + "norm.norm.bias");
        float[] wqk = p.data(b + "qk.conv.weight"), bqk = p.data(b + "qk.conv.bias");
        float[] wv = p.data(b + "v.conv.weight"), bv = p.data(b + "v.conv.bias");
        // t: LayerNorm over channels per pixel, zeros in the padding
        double[][][] t = new double[hp][wp][c];
        for (int y = 0; y < H; y++) {
            for (int xx = 0; xx < W; xx++) {
                double mean = 0, var = 0;
                for (int ch = 0; ch < c; ch++) mean += x[(ch * H + y) * W + xx];
                mean /= c;
                for (int ch = 0; ch < c; ch++) var += Math.pow(x[(ch * H + y) * W + xx] - mean, 2);
                var /= c;
                for (int ch = 0; ch < c; ch++) {
                    t[y][xx][ch] = (x[(ch * H + y) * W + xx] - mean) / Math.sqrt(var + 1e-6) * gamma[ch] + beta[ch];
                }
            }
        }
        float[] u = new float[cMid * H * W];
        int tokens = ws * ws;
        for (int gi = 0; gi < n1; gi++) {
            for (int gj = 0; gj < n2; gj++) {
                int[][] pos = new int[tokens][];
                for (int r = 0; r < ws; r++) {
                    for (int s = 0; s < ws; s++) pos[r * ws + s] = grouping.position(gi, gj, r, s, n1, n2, ws);
                }
                double[][] q = new double[tokens][c], k = new double[tokens][c];
                for (int n = 0; n < tokens; n++) {
                    double[] tn = t[pos[n][0]][pos[n][1]];
                    for (int o = 0; o < c; o++) {
                        double sq = bqk[o], sk = bqk[c + o];
                        for (int i = 0; i < c; i++) {
                            sq += wqk[o * c + i] * tn[i];
                            sk += wqk[(c + o) * c + i] * tn[i];
                        }
                        q[n][o] = sq;
                        k[n][o] = sk;
                    }
                }
                // the values attended over: t itself (attn_pre) or the expanded GELU(Wv t + bv)
                double[][] values = new double[tokens][];
                for (int n = 0; n < tokens; n++) {
                    double[] tn = t[pos[n][0]][pos[n][1]];
                    values[n] = spec.attnPre() ? tn : expand(wv, bv, tn, c, cMid);
                }
                int cv = values[0].length, dv = cv / heads;
                double[][] attended = new double[tokens][cv];
                for (int hd = 0; hd < heads; hd++) {
                    for (int n = 0; n < tokens; n++) {
                        double[] logits = new double[tokens];
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int m = 0; m < tokens; m++) {
                            for (int d = 0; d < dh; d++) logits[m] += q[n][hd * dh + d] * k[m][hd * dh + d];
                            logits[m] /= Math.sqrt(dh);
                            max = Math.max(max, logits[m]);
                        }
                        for (int m = 0; m < tokens; m++) sum += logits[m] = Math.exp(logits[m] - max);
                        for (int m = 0; m < tokens; m++) {
                            for (int d = 0; d < dv; d++) attended[n][hd * dv + d] += logits[m] / sum * values[m][hd * dv + d];
                        }
                    }
                }
                for (int n = 0; n < tokens; n++) {
                    int y = pos[n][0], xx = pos[n][1];
                    if (y >= H || xx >= W) continue;
                    double[] un = spec.attnPre() ? expand(wv, bv, attended[n], c, cMid) : attended[n];
                    for (int o = 0; o < cMid; o++) u[(o * H + y) * W + xx] = (float) un[o];
                }
            }
        }
        return u;
    }

    /** GELU(W v + b): the value projection, a 1x1 conv with bias and GELU. */
    private static double[] expand(float[] w, float[] b, double[] v, int cin, int cout) {
        double[] out = new double[cout];
        for (int o = 0; o < cout; o++) {
            double sum = b[o];
            for (int i = 0; i < cin; i++) sum += w[o * cin + i] * v[i];
            out[o] = gelu(sum);
        }
        return out;
    }

    private static double gelu(double v) {
        return 0.5 * v * (1 + erf(v / Math.sqrt(2)));
    }

    /** erf by its Maclaurin series, converging fast for the small arguments here; a large |v| saturates. */
    private static double erf(double z) {
        if (Math.abs(z) > 4) return Math.signum(z);
        double sum = 0, term = z;
        for (int n = 0; n < 80; n++) {
            sum += term / (2 * n + 1);
            term *= -z * z / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }
}
