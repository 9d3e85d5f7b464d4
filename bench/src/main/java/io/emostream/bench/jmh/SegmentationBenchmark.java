package io.emostream.bench.jmh;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.FrameMapping;
import io.emostream.models.runtime.RowOutput;
import io.emostream.models.segmentation.RunLengthMask;
import io.emostream.models.segmentation.SegmentationDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Segmentation post-processing: run-length encoding of a 512x512 label map (a scene of 40 rectangles of 150 classes),
 * and DeepLabv3's full path, 150 x 16 x 16 logits resized to a 512x512 mask, argmax and RLE: once with logits of that
 * scene (its class +6 over unit noise, as a trained model is confident), once with pure noise (the worst case for the
 * per-cell class pruning: dozens of classes stay candidates).
 */
@State(Scope.Thread)
public class SegmentationBenchmark {
    private int[] labelMap;
    private SegmentationDecoder decoder;
    private RowOutput sceneLogits;
    private RowOutput noiseLogits;
    private FrameMapping mapping;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        labelMap = new int[512 * 512];
        for (int r = 0; r < 40; r++) {
            int x0 = random.nextInt(512), y0 = random.nextInt(512);
            int x1 = Math.min(512, x0 + 20 + random.nextInt(200)), y1 = Math.min(512, y0 + 20 + random.nextInt(200));
            int id = random.nextInt(150);
            for (int y = y0; y < y1; y++) {
                java.util.Arrays.fill(labelMap, y * 512 + x0, y * 512 + x1, id);
            }
        }
        ModelCard card = new ModelCard("bench", "1", "", ModelCard.Task.SEGMENTATION, 0,
                new ModelCard.InputSpec("input", new long[] {-1, 3, 512, 512}, "NCHW", "RGB", null, null,
                        ModelCard.Resize.STRETCH, 0), List.of(), null,
                new ModelCard.SegmentationSpec(ModelCard.SegmentationFormat.LOGITS, "logits", 1), List.of(), null);
        decoder = new SegmentationDecoder(card, 0);
        float[] noise = new float[150 * 16 * 16];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        float[] scene = noise.clone();
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                scene[labelMap[(32 * y + 16) * 512 + 32 * x + 16] * 256 + y * 16 + x] += 6;
            }
        }
        noiseLogits = logits(noise);
        sceneLogits = logits(scene);
        mapping = FrameMapping.stretch(512, 512, 512, 512);
    }

    @Benchmark
    public RunLengthMask rle512() {
        return RunLengthMask.encode(labelMap, 512, 512, id -> "");
    }

    private static RowOutput logits(float[] values) {
        return new RowOutput(Map.of("logits", values), Map.of("logits", new long[] {150, 16, 16}), 1, 0, 0);
    }

    @Benchmark
    public RunLengthMask sceneLogitsTo512MaskAndRle() throws Exception {
        return decoder.decode(sceneLogits, mapping);
    }

    @Benchmark
    public RunLengthMask noiseLogitsTo512MaskAndRle() throws Exception {
        return decoder.decode(noiseLogits, mapping);
    }
}
