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
 * Turns a BGR frame into one NCHW float row as the card's {@link ModelCard.InputSpec} asks: STRETCH, LETTERBOX or FIT
 * resize (bilinear), then per channel {@code (pixel - mean) / std} in the network's colour order, written by OpenCV
 * straight into a pooled direct buffer (the three channel planes are Mats over that buffer, with the row stride of
 * the padded input), then divisor padding at the bottom and right with the card's tensor value. One preprocessor
 * makes inputs of one size: for a FIT card, the size of the frames it is made for. Thread-safe.
 */
public final class Preprocessor {
    private final ModelCard.InputSpec spec;
    private final int width;
    private final int height;
    private final float padTensorValue;
    private final boolean rgb;
    private final double[] alpha = new double[3];
    private final double[] beta = new double[3];
    private final FloatBufferPool pool;

    /** Inputs of the size of the card's graph. */
    public Preprocessor(ModelCard.InputSpec spec, int keepBuffers) {
        this(spec, spec.width(), spec.height(), keepBuffers);
    }

    /** Inputs of {@code width x height}: for a FIT card, the size its rule gives the frames this one is made for. */
    public Preprocessor(ModelCard.InputSpec spec, int width, int height, int keepBuffers) {
        this.spec = spec;
        this.width = width;
        this.height = height;
        this.padTensorValue = spec.padTensorValue();
        int divisor = spec.padDivisor();
        if (width % divisor != 0 || height % divisor != 0) {
            throw new IllegalArgumentException("input '" + spec.name() + "' pads to a multiple of " + divisor
                    + " but is " + width + "x" + height + "; build the graph at a multiple of " + divisor
                    + " or change the card's pad");
        }
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
        FrameMapping mapping = FrameMapping.forInput(spec, matImage.width(), matImage.height());
        if (mapping.inputWidth() != width || mapping.inputHeight() != height) {
            throw new IllegalArgumentException("a " + matImage.width() + "x" + matImage.height() + " frame needs a "
                    + mapping.inputWidth() + "x" + mapping.inputHeight() + " input; this preprocessor makes "
                    + width + "x" + height);
        }
        FloatBuffer row = pool.acquire();
        try (Mat fitted = fit(src, mapping);
             MatVector planes = new MatVector(3);
             FloatPointer target = new FloatPointer(row)) {
            split(fitted, planes);
            int planeSize = width * height;
            for (int c = 0; c < 3; c++) {
                int source = rgb ? 2 - c : c; // the frame is BGR
                FloatPointer planeStart = target.getPointer((long) c * planeSize);
                // the content's rows keep the padded input's stride, so it lands at the top left of its plane
                try (Mat plane = planes.get(source);
                     Mat out = new Mat(fitted.rows(), fitted.cols(), CV_32FC1, planeStart,
                             (long) width * Float.BYTES)) {
                    plane.convertTo(out, CV_32FC1, alpha[c], beta[c]);
                }
                padBottomRight(planeStart, fitted.cols(), fitted.rows());
            }
        } catch (RuntimeException e) {
            pool.release(row);
            throw e;
        }
        return new PreparedInput(row, mapping, (System.nanoTime() - start) / 1e6f, pool);
    }

    /** Fills the plane's columns right of the content and its rows below it with the card's tensor value. */
    private void padBottomRight(FloatPointer plane, int contentWidth, int contentHeight) {
        fill(plane.getPointer(contentWidth), contentHeight, width - contentWidth);
        fill(plane.getPointer((long) contentHeight * width), height - contentHeight, width);
    }

    /** {@code rows x cols} floats from {@code start}, one input row apart, set to the pad value. */
    private void fill(FloatPointer start, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        try (Mat region = new Mat(rows, cols, CV_32FC1, start, (long) width * Float.BYTES);
             Scalar value = Scalar.all(padTensorValue)) {
            region.put(value);
        }
    }

    /**
     * Resized to the input size (stretch), into it with constant pixel padding (letterbox), or to the content size
     * alone (fit: its divisor padding is added to the normalised tensor).
     */
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
        if ((w == width && h == height) || spec.resize() == ModelCard.Resize.FIT) {
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
