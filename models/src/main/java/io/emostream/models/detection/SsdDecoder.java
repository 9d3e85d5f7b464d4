package io.emostream.models.detection;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.FrameMapping;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.OutputDecoder;
import io.emostream.models.runtime.RowOutput;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes raw SSD outputs ({@link ModelCard.DetectionFormat#SSD_RAW}): {@code scores} [A, K] class probabilities with
 * an optional background column, {@code deltas} [A, 4]. Keeps scores above the threshold, the best
 * {@code topKPerLevel} per anchor level, decodes their boxes against the anchors
 * (cx = acx + dx * v0 * aw, w = aw * exp(dw * v2), likewise y/h), clips them to the input, runs class-aware NMS and
 * keeps {@code maxDetections}. Class ids are score columns with the background column removed.
 */
public final class SsdDecoder implements OutputDecoder<List<Detection>> {
    /** torchvision's bound on dw/dh (log(1000/16)) so exp() cannot overflow on a wild delta */
    private static final float MAX_LOG_SCALE = (float) Math.log(1000.0 / 16);

    private final ModelCard.DetectionSpec spec;
    private final float[] anchors;
    private final int[] levelStarts;
    private final int inputWidth;
    private final int inputHeight;
    private final DetectionMapper mapper;

    public SsdDecoder(ModelCard card) {
        this.spec = card.detection();
        if (spec.anchors() == null || spec.variances() == null || spec.variances().length != 4) {
            throw new IllegalArgumentException("SSD_RAW needs anchors and four variances in the card's detection spec");
        }
        this.inputWidth = card.input().width();
        this.inputHeight = card.input().height();
        this.anchors = AnchorGenerator.generate(spec.anchors(), inputWidth, inputHeight);
        this.levelStarts = AnchorGenerator.levelStarts(spec.anchors());
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
                    "SSD outputs do not match the card's " + a + " anchors: scores has "
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
            for (int i = from; i < to; i++) {
                if (scores[i] > spec.scoreThreshold() && i % columns != bg) {
                    cells[found++] = i;
                }
            }
            if (found > spec.topKPerLevel()) {
                ScoreOrder.sortDescending(cells, found, scores);
                found = spec.topKPerLevel();
            }
            for (int f = 0; f < found; f++) {
                int cell = cells[f];
                int anchor = cell / columns;
                int column = cell % columns;
                decodeBox(deltas, anchor, boxes, n);
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

    private void decodeBox(float[] deltas, int anchor, float[] boxes, int at) {
        float[] v = spec.variances();
        float acx = anchors[4 * anchor], acy = anchors[4 * anchor + 1];
        float aw = anchors[4 * anchor + 2], ah = anchors[4 * anchor + 3];
        float cx = acx + deltas[4 * anchor] * v[0] * aw;
        float cy = acy + deltas[4 * anchor + 1] * v[1] * ah;
        float w = aw * (float) Math.exp(Math.min(deltas[4 * anchor + 2] * v[2], MAX_LOG_SCALE));
        float h = ah * (float) Math.exp(Math.min(deltas[4 * anchor + 3] * v[3], MAX_LOG_SCALE));
        boxes[4 * at] = clamp(cx - w / 2, inputWidth);
        boxes[4 * at + 1] = clamp(cy - h / 2, inputHeight);
        boxes[4 * at + 2] = clamp(cx + w / 2, inputWidth);
        boxes[4 * at + 3] = clamp(cy + h / 2, inputHeight);
    }

    private static float clamp(float v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
