package io.emostream.models.image;

import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/** A {@link DecodedImage} held in an OpenCV BGR {@link Mat} that this object owns and releases on close. */
public final class MatImage implements DecodedImage {
    private final Mat mat;

    /** Takes ownership of {@code bgr}, which must be 8-bit 3-channel BGR. */
    public MatImage(Mat bgr) {
        if (bgr.type() != CV_8UC3 || bgr.empty()) {
            bgr.close();
            throw new IllegalArgumentException("expected a non-empty 8-bit BGR Mat (CV_8UC3)");
        }
        this.mat = bgr;
    }

    /** The pixels; valid until {@link #close()}. */
    public Mat mat() {
        return mat;
    }

    @Override
    public int width() {
        return mat.cols();
    }

    @Override
    public int height() {
        return mat.rows();
    }

    @Override
    public void close() {
        mat.close();
    }
}
