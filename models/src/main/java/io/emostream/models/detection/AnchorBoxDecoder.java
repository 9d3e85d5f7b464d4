package io.emostream.models.detection;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.FrameMapping;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.OutputDecoder;
import io.emostream.models.runtime.RowOutput;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes raw anchor-based outputs, {@link ModelCard.DetectionFormat#SSD_RAW} (softmax scores with a background
 * column, SSD prior boxes) and {@link ModelCard.DetectionFormat#RETINANET_RAW} (sigmoid scores, no background,
 * mmdetection grid anchors): {@code scores} [A, K], {@code deltas} [A, 4]. As mmdetection's dense heads test: per
 * anchor level, the (anchor, class) scores above the threshold, at most the best {@code topKPerLevel} of them; each
 * box decoded against its anchor as DeltaXYWHBBoxCoder does (cx = acx + dx * v0 * aw, w = aw * exp(dw * v2),
 * likewise y/h, dw and dh clamped to +-log(1000/16)) and clipped to the frame's content in the input (no box reaches
 * into padding, as mmdetection clips to img_shape); class-aware NMS; at most
 * {@code maxDetections}. Class ids are score columns with the background column removed.
 */
public final class AnchorBoxDecoder implements OutputDecoder<List<Detection>> {
    /** mmdetection's wh_ratio_clip 16/1000: dw and dh stay within +-log(1000/16), so exp() cannot overflow */
    private static final float MAX_LOG_SCALE = (float) Math.log(1000.0 / 16);

    private final ModelCard.DetectionSpec spec;
    private final float[] anchors;
    private final int[] levelStarts;
    private final int inputWidth;
    private final int inputHeight;
    private final DetectionMapper mapper;

    public AnchorBoxDecoder(ModelCard card) {
        this.spec = card.detection();
        if (spec.variances() == null || spec.variances().length != 4) {
            throw new IllegalArgumentException(spec.format() + " needs four variances in the card's detection spec");
        }
        this.inputWidth = card.input().width();
        this.inputHeight = card.input().height();
        if (spec.format() == ModelCard.DetectionFormat.RETINANET_RAW) {
            if (spec.anchorGrid() == null) {
                throw new IllegalArgumentException("RETINANET_RAW needs an anchorGrid in the card's detection spec");
            }
            this.anchors = GridAnchorGenerator.generate(spec.anchorGrid(), inputWidth, inputHeight);
            this.levelStarts = GridAnchorGenerator.levelStarts(spec.anchorGrid(), inputWidth, inputHeight);
        } else {
            if (spec.anchors() == null) {
                throw new IllegalArgumentException("SSD_RAW needs anchors in the card's detection spec");
            }
            this.anchors = AnchorGenerator.generate(spec.anchors(), inputWidth, inputHeight);
            this.levelStarts = AnchorGenerator.levelStarts(spec.anchors());
        }
        this.mapper = new DetectionMapper(card.labels());
    }

    public int anchorCount() {
        return anchors.length / 4;
    }

    @Override
    public List<Detection> decode(RowOutput row, FrameMapping mapping) throws InferenceException {
        float[] scores = row.values(spec.scoresOutput());
        float[] deltas = row.values(spec.boxesOutput());
        int a = anchorCount();
        if (deltas.length != a * 4 || scores.length % a != 0) {
            throw new InferenceException(InferenceException.Reason.OUTPUT_MISMATCH,
                    spec.format() + " outputs do not match the card's " + a + " anchors: scores has "
                    + scores.length + " values, deltas " + deltas.length);
        }
        int columns = scores.length / a;
        int bg = spec.backgroundIndex();

        int capacity = Math.min(scores.length, spec.topKPerLevel() * levelStarts.length);
        float[] boxes = new float[capacity * 4];
        float[] keptScores = new float[capacity];
        int[] classes = new int[capacity];
        int n = 0;
        int[] cells = new int[0];
        for (int l = 0; l + 1 < levelStarts.length; l++) {
            int from = levelStarts[l] * columns;
            int to = levelStarts[l + 1] * columns;
            if (cells.length < to - from) {
                cells = new int[to - from];
            }
            int found = 0;
            float threshold = spec.scoreThreshold();
            // a plain branch: even untrained weights pass only about 15 % of the cells (measured on EMO-1M SSDLite),
            // trained ones far fewer, so it is well predicted; the background column is dropped after
            for (int cell = from; cell < to; cell++) {
                if (scores[cell] > threshold) {
                    cells[found++] = cell;
                }
            }
            if (bg >= 0) {
                found = dropBackground(cells, found, columns, bg);
            }
            if (found > spec.topKPerLevel()) {
                ScoreOrder.sortBest(cells, found, spec.topKPerLevel(), scores);
                found = spec.topKPerLevel();
            }
            for (int f = 0; f < found; f++) {
                int cell = cells[f];
                int anchor = cell / columns;
                int column = cell % columns;
                decodeBox(deltas, anchor, boxes, n, mapping);
                keptScores[n] = scores[cell];
                classes[n] = bg >= 0 && column > bg ? column - 1 : column;
                n++;
            }
        }
        int[] kept = Nms.run(boxes, keptScores, classes, n, spec.nmsIou(), spec.maxDetections());
        List<Detection> detections = new ArrayList<>(kept.length);
        for (int k : kept) {
            Detection d = mapper.map(mapping, classes[k], keptScores[k],
                    boxes[4 * k], boxes[4 * k + 1], boxes[4 * k + 2], boxes[4 * k + 3]);
            if (d != null) {
                detections.add(d);
            }
        }
        return detections;
    }

    /** Removes the background column's cells, keeping the order of the rest. */
    private static int dropBackground(int[] cells, int found, int columns, int bg) {
        int kept = 0;
        for (int f = 0; f < found; f++) {
            int cell = cells[f];
            cells[kept] = cell;
            kept += cell % columns != bg ? 1 : 0;
        }
        return kept;
    }

    /** Clipped to the frame's content in the input (mmdetection's max_shape = img_shape: not into the padding). */
    private void decodeBox(float[] deltas, int anchor, float[] boxes, int at, FrameMapping m) {
        float[] v = spec.variances();
        float acx = anchors[4 * anchor], acy = anchors[4 * anchor + 1];
        float aw = anchors[4 * anchor + 2], ah = anchors[4 * anchor + 3];
        float cx = acx + deltas[4 * anchor] * v[0] * aw;
        float cy = acy + deltas[4 * anchor + 1] * v[1] * ah;
        float w = aw * (float) Math.exp(clampLogScale(deltas[4 * anchor + 2] * v[2]));
        float h = ah * (float) Math.exp(clampLogScale(deltas[4 * anchor + 3] * v[3]));
        float left = (float) m.padX(), right = (float) Math.min(inputWidth, m.padX() + m.contentWidth());
        float top = (float) m.padY(), bottom = (float) Math.min(inputHeight, m.padY() + m.contentHeight());
        boxes[4 * at] = clamp(cx - w / 2, left, right);
        boxes[4 * at + 1] = clamp(cy - h / 2, top, bottom);
        boxes[4 * at + 2] = clamp(cx + w / 2, left, right);
        boxes[4 * at + 3] = clamp(cy + h / 2, top, bottom);
    }

    private static float clampLogScale(float d) {
        return Math.max(-MAX_LOG_SCALE, Math.min(MAX_LOG_SCALE, d));
    }

    private static float clamp(float v, float min, float max) {
        return Math.max(min, Math.min(max, v));
    }
}
