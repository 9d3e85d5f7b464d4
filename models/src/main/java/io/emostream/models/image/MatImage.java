package io.emostream.models.image;

import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * A {@link DecodedImage} held in an OpenCV BGR {@link Mat} that this object owns and releases on close. The pixels
 * may be a reduced decode of the frame ({@link DecodeReduction}): {@link #width()} and {@link #height()} are the
 * frame's, which results are given in, and the Mat covers the whole frame at its own size.
 */
public final class MatImage implements DecodedImage {
    private final Mat mat;
    private final int frameWidth;
    private final int frameHeight;

    /** Takes ownership of {@code bgr}, which must be 8-bit 3-channel BGR, the frame at full size. */
    public MatImage(Mat bgr) {
        this(bgr, bgr.cols(), bgr.rows());
    }

    /** Takes ownership of {@code bgr}: a frame of {@code frameWidth} x {@code frameHeight}, decoded at Mat's size. */
    public MatImage(Mat bgr, int frameWidth, int frameHeight) {
        if (bgr.type() != CV_8UC3 || bgr.empty()) {
            bgr.close();
            throw new IllegalArgumentException("expected a non-empty 8-bit BGR Mat (CV_8UC3)");
        }
        this.mat = bgr;
        this.frameWidth = frameWidth;
        this.frameHeight = frameHeight;
    }

    /** The pixels (possibly fewer than the frame's); valid until {@link #close()}. */
    public Mat mat() {
        return mat;
    }

    @Override
    public int width() {
        return frameWidth;
    }

    @Override
    public int height() {
        return frameHeight;
    }

    @Override
    public void close() {
        mat.close();
    }
}
