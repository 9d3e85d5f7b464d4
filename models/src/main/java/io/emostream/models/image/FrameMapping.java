package io.emostream.models.image;

/**
 * How a frame was fitted into the model input: input = frame * scale + pad, per axis. STRETCH has no padding and
 * different scales per axis; LETTERBOX has one scale and centred padding. Used to map model outputs back to frame
 * pixels.
 */
public record FrameMapping(int frameWidth, int frameHeight, int inputWidth, int inputHeight,
                           double scaleX, double scaleY, double padX, double padY) {

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
