package io.emostream.cli.annotate;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.Detection;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.ZoneConfig;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.List;
import java.util.Locale;

import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.arrowedLine;
import static org.bytedeco.opencv.global.opencv_imgproc.getTextSize;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

/**
 * Draws one frame's results onto it, in this order so that the boxes stay on top: the segmentation mask as a
 * coloured overlay, the camera's zones (white outlines) and lines (yellow, with an arrow pointing the IN way), the
 * detection boxes in their {@link ClassPalette} colour labelled with class, score and track id, then the notices
 * (untrained models, a missing result, dead letters) on a red band at the top, and the caption and the mask's largest
 * classes at the bottom. Sizes follow the frame's, so a label reads the same at 320x240 and at 1080p.
 */
public final class OverlayPainter {
    /** Segmentation classes listed in the legend, largest first. */
    private static final int LEGEND_CLASSES = 3;
    private static final int[] WHITE = {255, 255, 255};
    private static final int[] BLACK = {0, 0, 0};
    private static final int[] YELLOW = {0, 230, 255};
    private static final int[] NOTICE_RED = {0, 0, 170};

    private final double maskOpacity;

    /** @param maskOpacity 0 (mask not drawn) to 1 (mask only) */
    public OverlayPainter(double maskOpacity) {
        if (maskOpacity < 0 || maskOpacity > 1) {
            throw new IllegalArgumentException("mask opacity must be 0..1, got " + maskOpacity);
        }
        this.maskOpacity = maskOpacity;
    }

    /**
     * Paints onto {@code frame} (BGR, changed in place).
     *
     * @param zonesAndLines the camera's, or null
     * @param notices       lines for the band at the top, e.g. "UNTRAINED: emo-1m-ssdlite"
     * @param caption       the line at the bottom, e.g. the camera, sequence and capture time
     */
    void paint(Mat frame, FrameResults results, CameraConfig zonesAndLines, List<String> notices, String caption) {
        Style style = new Style(frame.cols(), frame.rows());
        List<ClassFraction> legend = List.of();
        if (results.segmentation != null && maskOpacity > 0
                && MaskOverlay.blend(frame, results.segmentation, maskOpacity)) {
            legend = results.segmentation.getClassFractions();
        }
        if (zonesAndLines != null) {
            zonesAndLines.getZones().forEach(zone -> zone(frame, zone, style));
            zonesAndLines.getLines().forEach(l -> directedLine(frame, l, style));
        }
        if (results.detections != null) {
            List<Detection> detections = results.detections.getDetections();
            List<Long> trackIds = TrackIds.of(detections, results.tracks);
            for (int i = 0; i < detections.size(); i++) box(frame, detections.get(i), trackIds.get(i), style);
        }
        for (int i = 0; i < notices.size(); i++) {
            label(frame, notices.get(i), 0, i * style.lineHeight(), NOTICE_RED, WHITE, style);
        }
        int bottom = frame.rows() - style.lineHeight();
        label(frame, caption, 0, bottom, BLACK, WHITE, style);
        int x = 0;
        for (ClassFraction c : legend.subList(0, Math.min(LEGEND_CLASSES, legend.size()))) {
            String text = String.format(Locale.ROOT, "%s %.0f%%", c.getLabel(), 100 * c.getFraction());
            x += label(frame, text, x, bottom - style.lineHeight(), ClassPalette.bgr(c.getClassId()), BLACK, style)
                    + style.pad;
        }
    }

    private static void box(Mat frame, Detection d, Long trackId, Style style) {
        int[] colour = ClassPalette.bgr(d.getClassId());
        PixelBox b = d.getBox();
        int x1 = Math.round(b.getX1());
        int y1 = Math.round(b.getY1());
        try (Point p1 = new Point(x1, y1);
             Point p2 = new Point(Math.round(b.getX2()), Math.round(b.getY2()));
             Scalar c = scalar(colour)) {
            rectangle(frame, p1, p2, c, style.boxThickness, LINE_8, 0);
        }
        String text = String.format(Locale.ROOT, "%s %.2f%s", d.getLabel(), d.getScore(),
                trackId == null ? "" : " #" + trackId);
        // above the box when there is room, else just inside its top
        int labelY = y1 - style.lineHeight() >= 0 ? y1 - style.lineHeight() : y1;
        label(frame, text, x1, labelY, colour, BLACK, style);
    }

    private static void zone(Mat frame, ZoneConfig zone, Style style) {
        var points = zone.getPoints();
        for (int i = 0; i < points.size(); i++) {
            var a = points.get(i);
            var b = points.get((i + 1) % points.size());
            segment(frame, a.getX(), a.getY(), b.getX(), b.getY(), WHITE, 1, false, style);
        }
        var first = points.get(0);
        label(frame, "zone " + zone.getId(), px(first.getX(), style), py(first.getY(), style), BLACK, WHITE, style);
    }

    /** The line from a to b, and from its middle an arrow the way a crossing counts IN (a to b turned clockwise). */
    private static void directedLine(Mat frame, LineConfig l, Style style) {
        double ax = l.getA().getX();
        double ay = l.getA().getY();
        double bx = l.getB().getX();
        double by = l.getB().getY();
        segment(frame, ax, ay, bx, by, YELLOW, style.boxThickness, false, style);
        double mx = (ax + bx) / 2;
        double my = (ay + by) / 2;
        // in pixels, so that "a quarter turn" is one on the screen whatever the frame's aspect
        double dx = (bx - ax) * style.width;
        double dy = (by - ay) * style.height;
        double length = Math.hypot(dx, dy);
        double arrow = 0.08 * Math.min(style.width, style.height);
        double inX = mx + (-dy / length * arrow) / style.width;
        double inY = my + (dx / length * arrow) / style.height;
        segment(frame, mx, my, inX, inY, YELLOW, style.boxThickness, true, style);
        label(frame, l.getId() + " IN", px(inX, style), py(inY, style), BLACK, YELLOW, style);
    }

    /** A segment between two points given as fractions of the frame. */
    private static void segment(Mat frame, double x1, double y1, double x2, double y2, int[] colour,
                                int thickness, boolean arrow, Style style) {
        try (Point a = new Point(px(x1, style), py(y1, style));
             Point b = new Point(px(x2, style), py(y2, style));
             Scalar c = scalar(colour)) {
            if (arrow) {
                arrowedLine(frame, a, b, c, thickness, LINE_AA, 0, 0.3);
            } else {
                line(frame, a, b, c, thickness, LINE_AA, 0);
            }
        }
    }

    /** Text on a filled background with its top left at (x, y), kept inside the frame; returns its width. */
    private static int label(Mat frame, String text, int x, int y, int[] background, int[] foreground,
                             Style style) {
        int w = textWidth(text, style) + 2 * style.pad;
        int h = style.lineHeight();
        int left = Math.max(0, Math.min(x, frame.cols() - w));
        int top = Math.max(0, Math.min(y, frame.rows() - h));
        try (Point p1 = new Point(left, top);
             Point p2 = new Point(left + w, top + h);
             Point origin = new Point(left + style.pad, top + h - style.pad - style.baseline);
             Scalar bg = scalar(background);
             Scalar fg = scalar(foreground)) {
            rectangle(frame, p1, p2, bg, FILLED, LINE_8, 0);
            putText(frame, text, origin, FONT_HERSHEY_SIMPLEX, style.fontScale, fg, style.textThickness, LINE_AA,
                    false);
        }
        return w;
    }

    private static int textWidth(String text, Style style) {
        try (IntPointer baseline = new IntPointer(1);
             Size size = getTextSize(text, FONT_HERSHEY_SIMPLEX, style.fontScale, style.textThickness, baseline)) {
            return size.width();
        }
    }

    private static int px(double x, Style style) {
        return (int) Math.round(x * style.width);
    }

    private static int py(double y, Style style) {
        return (int) Math.round(y * style.height);
    }

    private static Scalar scalar(int[] bgr) {
        return new Scalar(bgr[0], bgr[1], bgr[2], 0);
    }

    /** Sizes for a frame: text, padding and strokes grow with it. */
    private static final class Style {
        final int width;
        final int height;
        final double fontScale;
        final int textThickness;
        final int boxThickness;
        final int pad;
        final int textHeight;
        final int baseline;

        Style(int width, int height) {
            this.width = width;
            this.height = height;
            int side = Math.min(width, height);
            fontScale = Math.max(0.3, side / 700.0);
            textThickness = fontScale > 1 ? 2 : 1;
            // three pixels at least, so that a box edge keeps its colour through 4:2:0 chroma (JPEG, H.264)
            boxThickness = Math.max(3, Math.round(side / 160f));
            pad = Math.max(2, side / 160);
            try (IntPointer base = new IntPointer(1);
                 Size size = getTextSize("Ag", FONT_HERSHEY_SIMPLEX, fontScale, textThickness, base)) {
                textHeight = size.height();
                baseline = base.get();
            }
        }

        int lineHeight() {
            return textHeight + baseline + 2 * pad;
        }
    }
}
