package io.emostream.models.emo;

import ai.onnxruntime.OrtSession;
import io.emostream.models.card.ModelCard.Task;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ASPP branches have the reference's dilations and "same" zero padding: at 512 input they read a 16x16 map, where
 * the 3x3 taps at offsets +-24 and +-36 only ever see padding (their values must not matter), while the taps at
 * +-12 reach inside the map (they must).
 */
class AsppPaddingTapsTest {
    private final EmoModelBuilder builder = new EmoModelBuilder();
    private final ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, Task.SEGMENTATION);

    @Test
    void offCentreTapsMatterOnlyWhereTheyReachInsideTheMap() throws Exception {
        ParameterSet weights = builder.initialise(spec, 5);
        float[] image = OrtSupport.randomInput(new long[]{1, 3, 512, 512}, 9);
        float[] base = logits(weights, image);

        scrambleOffCentreTaps(weights, "decode_head.aspp_modules.2.conv.weight");  // dilation 24
        scrambleOffCentreTaps(weights, "decode_head.aspp_modules.3.conv.weight");  // dilation 36
        assertArrayEquals(base, logits(weights, image), 1e-5f);

        scrambleOffCentreTaps(weights, "decode_head.aspp_modules.1.conv.weight");  // dilation 12
        float[] changed = logits(weights, image);
        double maxDiff = 0;
        for (int i = 0; i < base.length; i++) maxDiff = Math.max(maxDiff, Math.abs(base[i] - changed[i]));
        assertTrue(maxDiff > 1e-3, "taps at +-12 reach inside a 16x16 map and must change the logits: " + maxDiff);
    }

    private float[] logits(ParameterSet weights, float[] image) throws Exception {
        byte[] model = EmoNetwork.build(spec, weights).graph().toModel().toByteArray();
        try (OrtSession session = OrtSupport.open(model)) {
            return OrtSupport.run(session, image, new long[]{1, 3, 512, 512}, 1).get("logits").data();
        }
    }

    /** Replaces every tap but the centre of a [out, in, 3, 3] weight with large random values. */
    private static void scrambleOffCentreTaps(ParameterSet weights, String name) {
        float[] w = weights.data(name);
        SplittableRandom random = new SplittableRandom(name.hashCode());
        for (int i = 0; i < w.length; i++) {
            if (i % 9 != 4) w[i] = (float) (random.nextGaussian() * 10);
        }
    }
}
