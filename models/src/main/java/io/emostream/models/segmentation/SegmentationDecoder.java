package io.emostream.models.segmentation;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.FrameMapping;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.OutputDecoder;
import io.emostream.models.runtime.RowOutput;

import java.util.Arrays;
import java.util.List;

/**
 * Turns segmentation outputs into a run-length encoded label map of the original frame at the output mask size
 * (the frame's aspect ratio, longest side {@code maskMaxSide}, never larger than the frame).
 *
 * <p>Each mask pixel centre is mapped through frame -> model input (undoing the stretch or letterbox) -> output grid,
 * with half-pixel centres ({@code align_corners=false}); outside the grid the edge is repeated.
 * LOGITS [C, h, w]: the logits are interpolated bilinearly at that point and the argmax taken (ties: lowest class),
 * exactly as "resize the logits bilinearly, then argmax" but without a C x H x W buffer. A bilinear value is a convex
 * combination of the four corners of its cell, so a class's largest corner bounds it anywhere in the cell: per cell
 * the classes are ordered by that bound (dropping those below the best smallest corner of any class), and at each
 * pixel the search stops once no bound can beat the best value found. OpenCV has no fused resize-argmax, and
 * resizing 150 planes to 512x512 costs far more. LABEL_MAP [1, H, W]: nearest
 * ({@code nearest-exact}: the grid cell containing the centre). Reported class id = output index + {@code labelOffset}.
 * Its label: a LOGITS card whose {@code labels} has exactly one name per output class names output indices
 * ({@code labels[classId - labelOffset]}, the card's rule, as the EMO builder writes ADE20K's 150 names); otherwise
 * (a label map, or a list of another length) the list is indexed by the reported id ({@code labels[classId]}). The
 * two agree when the offset is 0.
 */
public final class SegmentationDecoder implements OutputDecoder<RunLengthMask> {
    private final ModelCard.SegmentationSpec spec;
    private final List<String> labels;
    private final int maskMaxSide;

    /** @param maskMaxSide longest side of the mask; 0 = the model input's longest side */
    public SegmentationDecoder(ModelCard card, int maskMaxSide) {
        this.spec = card.segmentation();
        this.labels = card.labels() == null ? List.of() : card.labels();
        this.maskMaxSide = maskMaxSide > 0 ? maskMaxSide : Math.max(card.input().width(), card.input().height());
    }

    private String label(int classId, int classes) {
        int index = labels.size() == classes ? classId - spec.labelOffset() : classId;
        return index >= 0 && index < labels.size() ? labels.get(index) : "class " + classId;
    }

    @Override
    public RunLengthMask decode(RowOutput row, FrameMapping m) throws InferenceException {
        float[] values = row.values(spec.output());
        long[] shape = row.shape(spec.output());
        boolean logits = spec.format() == ModelCard.SegmentationFormat.LOGITS;
        if (shape.length != 3 || (!logits && shape[0] != 1)) {
            throw new InferenceException(InferenceException.Reason.OUTPUT_MISMATCH,
                    "segmentation output '" + spec.output() + "' must be "
                    + (logits ? "[N, C, h, w]" : "[N, 1, H, W]") + ", got a row of shape " + Arrays.toString(shape));
        }
        int classes = (int) shape[0];
        int h = (int) shape[1];
        int w = (int) shape[2];
        double scale = Math.min(1.0, (double) maskMaxSide / Math.max(m.frameWidth(), m.frameHeight()));
        int maskW = Math.max(1, (int) Math.round(m.frameWidth() * scale));
        int maskH = Math.max(1, (int) Math.round(m.frameHeight() * scale));
        // grid coordinate of each mask column / row centre
        double[] gx = centres(maskW, m.frameWidth(), m.scaleX(), m.padX(), w, m.inputWidth());
        double[] gy = centres(maskH, m.frameHeight(), m.scaleY(), m.padY(), h, m.inputHeight());
        int[] labelMap = logits ? argmax(values, classes, h, w, gx, gy) : nearest(values, h, w, gx, gy);
        for (int i = 0; i < labelMap.length; i++) {
            labelMap[i] += spec.labelOffset();
        }
        int outputClasses = logits ? classes : -1; // a label map does not say how many classes it has
        return RunLengthMask.encode(labelMap, maskW, maskH, id -> label(id, outputClasses));
    }

    /** mask index -> frame -> model input -> output grid, half-pixel centres at both ends. */
    private static double[] centres(int maskSize, int frameSize, double inputScale, double pad, int gridSize,
                                    int inputSize) {
        double[] c = new double[maskSize];
        for (int i = 0; i < maskSize; i++) {
            double frame = (i + 0.5) * frameSize / maskSize;
            c[i] = (frame * inputScale + pad) * gridSize / inputSize - 0.5;
        }
        return c;
    }

    private static int[] nearest(float[] map, int h, int w, double[] gx, double[] gy) {
        int[] out = new int[gx.length * gy.length];
        int[] cols = new int[gx.length];
        for (int u = 0; u < gx.length; u++) {
            cols[u] = clamp((int) Math.floor(gx[u] + 0.5), w);
        }
        for (int v = 0; v < gy.length; v++) {
            int y = clamp((int) Math.floor(gy[v] + 0.5), h);
            for (int u = 0; u < gx.length; u++) {
                out[v * gx.length + u] = Math.round(map[y * w + cols[u]]);
            }
        }
        return out;
    }

    private static int[] argmax(float[] logits, int classes, int h, int w, double[] gx, double[] gy) {
        int plane = h * w;
        int[] x0 = new int[gx.length];
        int[] x1 = new int[gx.length];
        float[] fx = new float[gx.length];
        lerpTable(gx, w, x0, x1, fx);
        int[] y0 = new int[gy.length];
        int[] y1 = new int[gy.length];
        float[] fy = new float[gy.length];
        lerpTable(gy, h, y0, y1, fy);
        Candidates[] cells = new Candidates[plane];
        int[] out = new int[gx.length * gy.length];
        for (int v = 0; v < gy.length; v++) {
            int r0 = y0[v] * w;
            int r1 = y1[v] * w;
            float wy = fy[v];
            for (int u = 0; u < gx.length; u++) {
                int a = r0 + x0[u], b = r0 + x1[u], c = r1 + x0[u], d = r1 + x1[u];
                Candidates cell = cells[a]; // the top-left corner identifies the cell
                if (cell == null) {
                    cell = cells[a] = Candidates.of(logits, classes, plane, a, b, c, d);
                }
                float wx = fx[u];
                float w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
                int best = -1;
                float bestValue = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < cell.classes.length && cell.bounds[i] >= bestValue; i++) {
                    int k = cell.classes[i];
                    int o = k * plane;
                    float value = w00 * logits[o + a] + w01 * logits[o + b] + w10 * logits[o + c] + w11 * logits[o + d];
                    if (value > bestValue || (value == bestValue && k < best)) {
                        bestValue = value;
                        best = k;
                    }
                }
                out[v * gx.length + u] = best;
            }
        }
        return out;
    }

    /**
     * The classes that can be the maximum somewhere in one cell, by their largest corner value (an upper bound of
     * their value anywhere in the cell) descending, so the search at a pixel stops once no bound can beat the best.
     */
    private record Candidates(int[] classes, float[] bounds) {
        static Candidates of(float[] logits, int classes, int plane, int a, int b, int c, int d) {
            float floor = Float.NEGATIVE_INFINITY; // the maximum is at least this everywhere in the cell
            float[] upper = new float[classes];
            for (int k = 0; k < classes; k++) {
                int o = k * plane;
                float la = logits[o + a], lb = logits[o + b], lc = logits[o + c], ld = logits[o + d];
                floor = Math.max(floor, Math.min(Math.min(la, lb), Math.min(lc, ld)));
                upper[k] = Math.max(Math.max(la, lb), Math.max(lc, ld));
            }
            int[] keep = new int[classes];
            int n = 0;
            for (int k = 0; k < classes; k++) {
                if (upper[k] >= floor) {
                    keep[n++] = k;
                }
            }
            int[] order = Arrays.copyOf(keep, n);
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = order[i];
            }
            Arrays.sort(boxed, (x, y) -> Float.compare(upper[y], upper[x]));
            float[] bounds = new float[n];
            for (int i = 0; i < n; i++) {
                order[i] = boxed[i];
                bounds[i] = upper[order[i]];
            }
            return new Candidates(order, bounds);
        }
    }

    /** Bilinear source indices and weights along one axis; the edge is repeated outside the grid. */
    private static void lerpTable(double[] coords, int size, int[] i0, int[] i1, float[] frac) {
        for (int i = 0; i < coords.length; i++) {
            double g = Math.max(0, Math.min(size - 1, coords[i]));
            int lo = (int) Math.floor(g);
            i0[i] = lo;
            i1[i] = Math.min(lo + 1, size - 1);
            frac[i] = (float) (g - lo);
        }
    }

    private static int clamp(int i, int size) {
        return Math.max(0, Math.min(size - 1, i));
    }
}
