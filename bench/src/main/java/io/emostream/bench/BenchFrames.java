package io.emostream.bench;

import io.emostream.ingest.EncodedImage;
import io.emostream.ingest.FrameEncoder;
import io.emostream.schemas.ImageEncoding;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.randu;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

/**
 * Camera-like JPEG frames made once before measuring: blurred noise (so the JPEG is as large and as slow to decode
 * as a real scene, not a flat colour) with moving shapes, encoded the way the ingest encodes them (quality 90).
 */
public final class BenchFrames {
    private static final int JPEG_QUALITY = 90;
    /** Distinct frames; the scenarios cycle through them. */
    private static final int DISTINCT = 16;

    private BenchFrames() { }

    public static List<EncodedImage> jpegs(int width, int height) {
        FrameEncoder encoder = new FrameEncoder(Math.max(width, height), ImageEncoding.JPEG, JPEG_QUALITY);
        List<EncodedImage> frames = new ArrayList<>(DISTINCT);
        try (Mat image = new Mat(height, width, CV_8UC3);
             Mat low = new Mat(1, 1, CV_64F, Scalar.all(0));
             Mat high = new Mat(1, 1, CV_64F, Scalar.all(255));
             Size blur = new Size(5, 5);
             Scalar red = new Scalar(40, 40, 230, 0);
             Scalar green = new Scalar(60, 200, 60, 0)) {
            for (int i = 0; i < DISTINCT; i++) {
                randu(image, low, high);
                GaussianBlur(image, image, blur, 0);
                double t = (double) i / DISTINCT;
                try (Point centre = new Point((int) (width * (0.15 + 0.7 * t)), height / 3);
                     Point a = new Point(width / 2, (int) (height * (0.4 + 0.2 * t)));
                     Point b = new Point(width / 2 + width / 5, (int) (height * (0.4 + 0.2 * t)) + height / 4)) {
                    circle(image, centre, Math.max(4, height / 8), red, FILLED, 8, 0);
                    rectangle(image, a, b, green, FILLED, 8, 0);
                }
                frames.add(encoder.encode(image));
            }
        }
        return frames;
    }
}
