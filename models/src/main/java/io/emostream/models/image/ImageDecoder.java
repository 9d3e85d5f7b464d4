package io.emostream.models.image;

import io.emostream.models.image.InvalidImageException.Reason;
import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/**
 * Turns frame bytes into a {@link MatImage}, refusing anything over the {@link ImageLimits} or mis-sized before a
 * pixel is allocated: byte count first, then the dimensions in the JPEG/PNG header, then the declared dimensions.
 * Only then does OpenCV decode. EXIF orientation is ignored so the decoded size is the header's size.
 * Thread-safe.
 */
public final class ImageDecoder {
    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    /**
     * @param declaredWidth  width the producer says the frame has; must match the image (0 = not declared, JPEG/PNG only)
     * @param declaredHeight height likewise
     */
    public DecodedImage decode(byte[] bytes, ImageFormat format, int declaredWidth, int declaredHeight)
            throws InvalidImageException {
        return decode(bytes, format, declaredWidth, declaredHeight, DecodeReduction.none());
    }

    /**
     * As {@link #decode(byte[], ImageFormat, int, int)}, a JPEG decoded at the size {@code reduction} allows (other
     * formats gain nothing from it: they are always decoded whole). The image keeps the frame's size.
     */
    public DecodedImage decode(byte[] bytes, ImageFormat format, int declaredWidth, int declaredHeight,
                               DecodeReduction reduction) throws InvalidImageException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException(Reason.CORRUPT, "empty frame: no bytes");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new InvalidImageException(Reason.OVERSIZE, "frame of " + bytes.length + " bytes is over the limit of "
                    + limits.maxBytes() + " bytes");
        }
        if (format == ImageFormat.RAW_BGR24) {
            return raw(bytes, declaredWidth, declaredHeight);
        }
        ImageHeader header = ImageHeader.read(bytes, format);
        checkLimits(format + " header", header.width(), header.height());
        if ((declaredWidth != 0 || declaredHeight != 0)
                && (declaredWidth != header.width() || declaredHeight != header.height())) {
            throw new InvalidImageException(Reason.SIZE_MISMATCH,
                    "declared size " + declaredWidth + "x" + declaredHeight + " does not match the "
                    + format + " header's " + header.width() + "x" + header.height());
        }
        int factor = format == ImageFormat.JPEG ? reduction.factor(header.width(), header.height()) : 1;
        Mat decoded;
        try (Mat buffer = new Mat(1, bytes.length, CV_8UC1)) {
            buffer.data().put(bytes);
            decoded = imdecode(buffer, readFlag(factor) | IMREAD_IGNORE_ORIENTATION);
        }
        if (decoded == null || decoded.empty()) {
            if (decoded != null) {
                decoded.close();
            }
            throw new InvalidImageException(Reason.CORRUPT,
                    "corrupt " + format + ": OpenCV could not decode " + bytes.length + " bytes");
        }
        // libjpeg's scaled decode rounds up: ceil(size / factor)
        if (decoded.cols() != ceilDiv(header.width(), factor) || decoded.rows() != ceilDiv(header.height(), factor)) {
            int w = decoded.cols();
            int h = decoded.rows();
            decoded.close();
            throw new InvalidImageException(Reason.CORRUPT,
                    "decoded " + format + " is " + w + "x" + h + " but its header says "
                    + header.width() + "x" + header.height() + (factor > 1 ? " (decoded at 1/" + factor + ")" : ""));
        }
        return new MatImage(decoded, header.width(), header.height());
    }

    private static int readFlag(int factor) {
        return switch (factor) {
            case 1 -> IMREAD_COLOR;
            case 2 -> IMREAD_REDUCED_COLOR_2;
            case 4 -> IMREAD_REDUCED_COLOR_4;
            case 8 -> IMREAD_REDUCED_COLOR_8;
            default -> throw new IllegalArgumentException("reduction factor must be 1, 2, 4 or 8, got " + factor);
        };
    }

    private static int ceilDiv(int size, int factor) {
        return (size + factor - 1) / factor;
    }

    private DecodedImage raw(byte[] bytes, int width, int height) throws InvalidImageException {
        if (width <= 0 || height <= 0) {
            throw new InvalidImageException(Reason.SIZE_MISMATCH,
                    "raw BGR24 frame needs its width and height declared, got "
                    + width + "x" + height);
        }
        checkLimits("declared raw", width, height);
        long expected = (long) width * height * 3;
        if (bytes.length != expected) {
            throw new InvalidImageException(Reason.SIZE_MISMATCH,
                    "raw BGR24 frame of " + width + "x" + height + " must be " + expected
                    + " bytes, got " + bytes.length);
        }
        Mat mat = new Mat(height, width, CV_8UC3);
        mat.data().put(bytes);
        return new MatImage(mat);
    }

    private void checkLimits(String what, int width, int height) throws InvalidImageException {
        if (width <= 0 || height <= 0) {
            throw new InvalidImageException(Reason.CORRUPT, what + " size " + width + "x" + height + " is empty");
        }
        if (width > limits.maxWidth() || height > limits.maxHeight()
                || (long) width * height > limits.maxPixels()) {
            throw new InvalidImageException(Reason.OVERSIZE,
                    what + " size " + width + "x" + height + " is over the limit of "
                    + limits.maxWidth() + "x" + limits.maxHeight() + " (" + limits.maxPixels() + " pixels)");
        }
    }
}
