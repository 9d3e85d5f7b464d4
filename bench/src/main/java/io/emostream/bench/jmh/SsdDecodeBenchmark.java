package io.emostream.bench.jmh;

import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.Detection;
import io.emostream.models.detection.AnchorBoxDecoder;
import io.emostream.models.image.FrameMapping;
import io.emostream.models.runtime.RowOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * SSD post-processing at EMO SSDLite's test settings: 3,234 anchors x (80 classes + background), score threshold
 * 0.02, top 1,000 per level, class-aware NMS at IoU 0.45, 200 detections kept, boxes mapped to a 1280x720 frame.
 * Scores are softmax of Gaussian logits (sd 2.5), which leaves several thousand candidates above the threshold.
 */
@State(Scope.Thread)
public class SsdDecodeBenchmark {
    private AnchorBoxDecoder decoder;
    private RowOutput row;
    private FrameMapping mapping;

    @Setup
    public void setUp() {
        int[] features = {20, 10, 5, 3, 2, 1};
        float[] strides = {16, 32, 64, 107, 160, 320};
        float[] min = {48, 100, 150, 202, 253, 304};
        float[] max = {100, 150, 202, 253, 304, 320};
        List<ModelCard.AnchorLevel> levels = new ArrayList<>();
        for (int l = 0; l < 6; l++) {
            levels.add(new ModelCard.AnchorLevel(features[l], strides[l], min[l], max[l],
                    new float[] {0.5f, 2f, 1 / 3f, 3f}));
        }
        ModelCard.DetectionSpec spec = new ModelCard.DetectionSpec(ModelCard.DetectionFormat.SSD_RAW, "scores",
                "boxes", 80, new ModelCard.AnchorSpec(320, levels), new float[] {0.1f, 0.1f, 0.2f, 0.2f}, 0.02f, 1000,
                0.45f, 200);
        ModelCard card = new ModelCard("bench", "1", "", ModelCard.Task.DETECTION, 0,
                new ModelCard.InputSpec("input", new long[] {-1, 3, 320, 320}, "NCHW", "RGB", null, null,
                        ModelCard.Resize.STRETCH, 0), List.of(), spec, null, List.of(), null);
        decoder = new AnchorBoxDecoder(card);
        int anchors = decoder.anchorCount();
        Random random = new Random(42);
        float[] scores = new float[anchors * 81];
        for (int a = 0; a < anchors; a++) {
            double sum = 0;
            for (int c = 0; c < 81; c++) {
                double e = Math.exp(random.nextGaussian() * 2.5);
                scores[a * 81 + c] = (float) e;
                sum += e;
            }
            for (int c = 0; c < 81; c++) {
                scores[a * 81 + c] /= (float) sum;
            }
        }
        float[] deltas = new float[anchors * 4];
        for (int i = 0; i < deltas.length; i++) {
            deltas[i] = (float) random.nextGaussian();
        }
        row = new RowOutput(Map.of("scores", scores, "boxes", deltas),
                Map.of("scores", new long[] {anchors, 81}, "boxes", new long[] {anchors, 4}), 1, 0, 0);
        mapping = FrameMapping.stretch(1280, 720, 320, 320);
    }

    @Benchmark
    public List<Detection> decodeAndNms() throws Exception {
        return decoder.decode(row, mapping);
    }
}
