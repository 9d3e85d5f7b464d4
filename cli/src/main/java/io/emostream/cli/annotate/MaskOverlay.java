package io.emostream.cli.annotate;

import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.RunLengthMask;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Lays a segmentation over its frame: each mask pixel takes its class's {@link ClassPalette} colour, the mask is
 * scaled to the frame (nearest neighbour, so class borders stay sharp) and blended in at the given opacity.
 */
final class MaskOverlay {
    private MaskOverlay() { }

    /**
     * Blends {@code segmentation}'s mask into {@code frame} (BGR, changed in place).
     *
     * @return false, drawing nothing, when the mask's runs do not cover its size
     */
    static boolean blend(Mat frame, FrameSegmentation segmentation, double opacity) {
        int width = segmentation.getMaskWidth();
        int height = segmentation.getMaskHeight();
        byte[] pixels = colours(segmentation.getMask(), width, height);
        if (pixels == null) return false;
        try (Mat mask = new Mat(height, width, CV_8UC3);
             Mat scaled = new Mat();
             Size frameSize = new Size(frame.cols(), frame.rows())) {
            mask.data().put(pixels);
            resize(mask, scaled, frameSize, 0, 0, INTER_NEAREST);
            addWeighted(frame, 1 - opacity, scaled, opacity, 0, frame);
        }
        return true;
    }

    /** The mask's pixels in class colours, BGR row-major; null when the runs do not cover width x height. */
    private static byte[] colours(RunLengthMask mask, int width, int height) {
        List<Integer> classes = mask.getClassIds();
        List<Integer> runs = mask.getRunLengths();
        long pixelCount = (long) width * height;
        if (width <= 0 || height <= 0 || classes.size() != runs.size()
                || runs.stream().anyMatch(n -> n < 0)
                || runs.stream().mapToLong(Integer::longValue).sum() != pixelCount) {
            return null;
        }
        byte[] pixels = new byte[(int) pixelCount * 3];
        Map<Integer, int[]> palette = new HashMap<>();
        int at = 0;
        for (int i = 0; i < classes.size(); i++) {
            int[] bgr = palette.computeIfAbsent(classes.get(i), ClassPalette::bgr);
            for (int n = runs.get(i); n > 0; n--, at += 3) {
                pixels[at] = (byte) bgr[0];
                pixels[at + 1] = (byte) bgr[1];
                pixels[at + 2] = (byte) bgr[2];
            }
        }
        return pixels;
    }
}
