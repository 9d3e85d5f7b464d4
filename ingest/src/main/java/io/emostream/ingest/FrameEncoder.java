package io.emostream.ingest;

import io.emostream.schemas.ImageEncoding;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/** Resizes a BGR frame so its longer side is at most maxSide (keeping the aspect ratio) and encodes it. */
public record FrameEncoder(int maxSide, ImageEncoding encoding, int jpegQuality) {

    /** The size a width x height frame is published at: longer side at most maxSide, aspect kept, never enlarged. */
    public static int[] targetSize(int width, int height, int maxSide) {
        int longer = Math.max(width, height);
        if (longer <= maxSide) return new int[]{width, height};
        double scale = (double) maxSide / longer;
        return new int[]{Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale))};
    }

    /** @param bgr an 8-bit, 3-channel BGR image */
    public EncodedImage encode(Mat bgr) {
        if (bgr.channels() != 3 || bgr.depth() != org.bytedeco.opencv.global.opencv_core.CV_8U) {
            throw new IllegalArgumentException("expected an 8-bit BGR image, got " + bgr.channels() + " channels");
        }
        int[] size = targetSize(bgr.cols(), bgr.rows(), maxSide);
        if (size[0] == bgr.cols() && size[1] == bgr.rows()) return encodeAsIs(bgr);
        try (Mat small = new Mat(); Size dsize = new Size(size[0], size[1])) {
            // INTER_AREA: the right filter for shrinking (no aliasing).
            resize(bgr, small, dsize, 0, 0, INTER_AREA);
            return encodeAsIs(small);
        }
    }

    private EncodedImage encodeAsIs(Mat bgr) {
        byte[] bytes = switch (encoding) {
            case JPEG -> imencode(".jpg", bgr, new int[]{IMWRITE_JPEG_QUALITY, jpegQuality});
            case PNG -> imencode(".png", bgr, new int[0]);
            case RAW_BGR24 -> rawBytes(bgr);
        };
        return new EncodedImage(bytes, bgr.cols(), bgr.rows(), encoding);
    }

    private static byte[] imencode(String ext, Mat bgr, int[] params) {
        try (BytePointer extension = new BytePointer(ext); BytePointer out = new BytePointer();
             IntPointer p = new IntPointer(params)) {
            if (!org.bytedeco.opencv.global.opencv_imgcodecs.imencode(extension, bgr, out, p)) {
                throw new IllegalStateException("OpenCV could not encode the frame as " + ext);
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    private static byte[] rawBytes(Mat bgr) {
        int rowBytes = bgr.cols() * 3;
        byte[] bytes = new byte[rowBytes * bgr.rows()];
        BytePointer data = bgr.data();
        long step = bgr.step();
        for (int y = 0; y < bgr.rows(); y++) {
            data.position(y * step).get(bytes, y * rowBytes, rowBytes);
        }
        data.position(0);
        return bytes;
    }
}
