package io.emostream.models.image;

import io.emostream.models.card.ModelCard;

import java.util.List;

/**
 * How far a JPEG may be shrunk while it is decoded (libjpeg scales the DCT blocks, OpenCV's
 * {@code IMREAD_REDUCED_COLOR_2/4/8}): by the largest factor of 2, 4 or 8 that leaves the decoded image at least as
 * large as the content each model input takes from the frame, so that pre-processing still only shrinks. A 1280x720
 * frame for a 320x320 input decodes at 640x360, a quarter of the pixels; a 640x480 one stays whole (240 < 320).
 * Boxes and masks still map to the full frame: the image keeps the frame's size ({@link MatImage#width()}).
 */
public final class DecodeReduction {
    private static final int[] FACTORS = {8, 4, 2};
    private final List<ModelCard.InputSpec> inputs;

    private DecodeReduction(List<ModelCard.InputSpec> inputs) {
        this.inputs = List.copyOf(inputs);
    }

    /** Never shrinks. */
    public static DecodeReduction none() {
        return new DecodeReduction(List.of());
    }

    /** For the model inputs a frame is decoded for; none means none. */
    public static DecodeReduction forInputs(List<ModelCard.InputSpec> inputs) {
        return new DecodeReduction(inputs);
    }

    /** 1 (no reduction), 2, 4 or 8 for a frame of this size. */
    public int factor(int frameWidth, int frameHeight) {
        if (inputs.isEmpty()) {
            return 1;
        }
        for (int factor : FACTORS) {
            if (inputs.stream().allMatch(input -> fits(input, frameWidth, frameHeight, factor))) {
                return factor;
            }
        }
        return 1;
    }

    private static boolean fits(ModelCard.InputSpec input, int frameWidth, int frameHeight, int factor) {
        FrameMapping m = FrameMapping.forInput(input, frameWidth, frameHeight);
        return (long) m.contentWidth() * factor <= frameWidth && (long) m.contentHeight() * factor <= frameHeight;
    }
}
