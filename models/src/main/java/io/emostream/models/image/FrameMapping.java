package io.emostream.models.image;

import io.emostream.models.card.ModelCard;

/**
 * How a frame was fitted into the model input: input = frame * scale + pad, per axis. STRETCH has no padding and
 * different scales per axis; LETTERBOX has one scale and centred padding; FIT has a scale per axis (each side rounded
 * on its own) and its divisor padding only at the bottom and right, so pad is 0. Used to map model outputs back to
 * frame pixels.
 */
public record FrameMapping(int frameWidth, int frameHeight, int inputWidth, int inputHeight,
                           double scaleX, double scaleY, double padX, double padY) {

    /** The mapping the card's input spec asks for, for a frame of this size. */
    public static FrameMapping forInput(ModelCard.InputSpec spec, int frameWidth, int frameHeight) {
        return switch (spec.resize() == null ? ModelCard.Resize.STRETCH : spec.resize()) {
            case STRETCH -> stretch(frameWidth, frameHeight, spec.width(), spec.height());
            case LETTERBOX -> letterbox(frameWidth, frameHeight, spec.width(), spec.height());
            case FIT -> {
                int[] bounds = spec.fitWithin();
                if (bounds == null || bounds.length != 2 || bounds[0] < 1 || bounds[1] < 1) {
                    throw new IllegalArgumentException("input '" + spec.name() + "' resizes with FIT but its card has "
                            + "no fitWithin bounds {long side, short side}, e.g. [1333, 800]");
                }
                yield fit(frameWidth, frameHeight, bounds[0], bounds[1], spec.padDivisor());
            }
        };
    }

    /**
     * mmcv's {@code imrescale} to fit within (long, short) with the aspect ratio kept: scale = min(long / the frame's
     * long side, short / its short side), each side {@code int(side * scale + 0.5)}; then the input is padded at the
     * bottom and right to multiples of {@code divisor}. The scale per axis is the rounded side over the frame's, as
     * mmdetection maps boxes back.
     */
    public static FrameMapping fit(int frameWidth, int frameHeight, int longSide, int shortSide, int divisor) {
        int longBound = Math.max(longSide, shortSide), shortBound = Math.min(longSide, shortSide);
        double scale = Math.min((double) longBound / Math.max(frameWidth, frameHeight),
                (double) shortBound / Math.min(frameWidth, frameHeight));
        int width = Math.max(1, (int) (frameWidth * scale + 0.5));
        int height = Math.max(1, (int) (frameHeight * scale + 0.5));
        return new FrameMapping(frameWidth, frameHeight, roundUp(width, divisor), roundUp(height, divisor),
                (double) width / frameWidth, (double) height / frameHeight, 0, 0);
    }

    private static int roundUp(int size, int divisor) {
        return (size + divisor - 1) / divisor * divisor;
    }

    public static FrameMapping stretch(int frameWidth, int frameHeight, int inputWidth, int inputHeight) {
        return new FrameMapping(frameWidth, frameHeight, inputWidth, inputHeight,
                (double) inputWidth / frameWidth, (double) inputHeight / frameHeight, 0, 0);
    }

    /** Scaled to fit inside the input with the aspect ratio kept; the rest is padding, split evenly (left/top floor). */
    public static FrameMapping letterbox(int frameWidth, int frameHeight, int inputWidth, int inputHeight) {
        double scale = Math.min((double) inputWidth / frameWidth, (double) inputHeight / frameHeight);
        int width = resizedWidth(frameWidth, scale, inputWidth);
        int height = resizedWidth(frameHeight, scale, inputHeight);
        return new FrameMapping(frameWidth, frameHeight, inputWidth, inputHeight,
                (double) width / frameWidth, (double) height / frameHeight,
                (inputWidth - width) / 2, (inputHeight - height) / 2);
    }

    private static int resizedWidth(int size, double scale, int limit) {
        return Math.max(1, Math.min(limit, (int) Math.round(size * scale)));
    }

    /** Width of the frame's content inside the input (the resize target). */
    public int contentWidth() {
        return (int) Math.round(frameWidth * scaleX);
    }

    public int contentHeight() {
        return (int) Math.round(frameHeight * scaleY);
    }

    /** Input x -> frame x, clipped to the frame. */
    public float toFrameX(double inputX) {
        return (float) Math.min(frameWidth, Math.max(0, (inputX - padX) / scaleX));
    }

    /** Input y -> frame y, clipped to the frame. */
    public float toFrameY(double inputY) {
        return (float) Math.min(frameHeight, Math.max(0, (inputY - padY) / scaleY));
    }
}
