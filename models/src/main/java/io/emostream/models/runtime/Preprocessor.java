package io.emostream.models.runtime;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.image.FrameMapping;
import io.emostream.models.image.MatImage;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Turns a BGR frame into one NCHW float row as the card's {@link ModelCard.InputSpec} asks: STRETCH or LETTERBOX
 * resize, then per channel {@code (pixel - mean) / std} in the network's colour order, written by OpenCV straight
 * into a pooled direct buffer (the three channel planes are Mats over that buffer). Thread-safe.
 */
public final class Preprocessor {
    private final ModelCard.InputSpec spec;
    private final int width;
    private final int height;
    private final boolean rgb;
    private final double[] alpha = new double[3];
    private final double[] beta = new double[3];
    private final FloatBufferPool pool;

    public Preprocessor(ModelCard.InputSpec spec, int keepBuffers) {
        this.spec = spec;
        this.width = spec.width();
        this.height = spec.height();
        if (spec.shape().length != 4 || spec.shape()[1] != 3) {
            throw new IllegalArgumentException("input '" + spec.name() + "' must be [N, 3, H, W], card says "
                    + java.util.Arrays.toString(spec.shape()));
        }
        String order = spec.colorOrder() == null ? "RGB" : spec.colorOrder().toUpperCase(java.util.Locale.ROOT);
        if (!order.equals("RGB") && !order.equals("BGR")) {
            throw new IllegalArgumentException("colorOrder must be RGB or BGR, card says " + spec.colorOrder());
        }
        this.rgb = order.equals("RGB");
        for (int c = 0; c < 3; c++) {
            double mean = spec.mean() == null ? 0 : spec.mean()[c];
            double std = spec.std() == null ? 1 : spec.std()[c];
            if (std == 0) {
                throw new IllegalArgumentException("std of channel " + c + " is 0");
            }
            alpha[c] = 1 / std;
            beta[c] = -mean / std;
        }
        this.pool = new FloatBufferPool(3 * width * height, keepBuffers);
    }

    public int rowFloats() {
        return pool.floats();
    }

    public PreparedInput prepare(DecodedImage image) {
        if (!(image instanceof MatImage matImage)) {
            throw new IllegalArgumentException("expected an image from ImageDecoder (MatImage), got "
                    + image.getClass().getName());
        }
        long start = System.nanoTime();
        Mat src = matImage.mat(); // the whole frame, possibly decoded at a reduced size: mapped at the frame's size
        FrameMapping mapping = spec.resize() == ModelCard.Resize.LETTERBOX
                ? FrameMapping.letterbox(matImage.width(), matImage.height(), width, height)
                : FrameMapping.stretch(matImage.width(), matImage.height(), width, height);
        FloatBuffer row = pool.acquire();
        try (Mat fitted = fit(src, mapping);
             MatVector planes = new MatVector(3);
             FloatPointer target = new FloatPointer(row)) {
            split(fitted, planes);
            int planeSize = width * height;
            for (int c = 0; c < 3; c++) {
                int source = rgb ? 2 - c : c; // the frame is BGR
                try (Mat plane = planes.get(source);
                     Mat out = new Mat(height, width, CV_32FC1, target.getPointer((long) c * planeSize))) {
                    plane.convertTo(out, CV_32FC1, alpha[c], beta[c]);
                }
            }
        } catch (RuntimeException e) {
            pool.release(row);
            throw e;
        }
        return new PreparedInput(row, mapping, (System.nanoTime() - start) / 1e6f, pool);
    }

    /** Resized to the input size (stretch) or into it with constant padding (letterbox). */
    private Mat fit(Mat src, FrameMapping m) {
        int w = m.contentWidth();
        int h = m.contentHeight();
        Mat resized = new Mat();
        if (w == src.cols() && h == src.rows()) {
            src.copyTo(resized);
        } else {
            try (Size size = new Size(w, h)) {
                resize(src, resized, size, 0, 0, INTER_LINEAR); // bilinear, as the training pipelines resize
            }
        }
        if (w == width && h == height) {
            return resized;
        }
        Mat boxed = new Mat();
        int top = (int) m.padY();
        int left = (int) m.padX();
        try (resized; Scalar pad = Scalar.all(spec.padValue())) {
            copyMakeBorder(resized, boxed, top, height - h - top, left, width - w - left, BORDER_CONSTANT, pad);
        }
        return boxed;
    }
}
