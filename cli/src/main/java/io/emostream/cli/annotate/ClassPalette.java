package io.emostream.cli.annotate;

import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The colour of a class, by its index: hue {@code (c * 137.508) mod 360} (the golden angle, so neighbouring indices
 * get distant hues), saturation 0.75, value 0.95. The live page colours classes by the same rule, so a class looks
 * the same in the browser and in an annotated video.
 */
public final class ClassPalette {
    private static final double GOLDEN_ANGLE = 137.508;
    private static final double SATURATION = 0.75;
    private static final double VALUE = 0.95;

    private ClassPalette() { }

    /** The class colour as 8-bit {blue, green, red}, OpenCV's channel order. */
    public static int[] bgr(int classIndex) {
        double hue = ((classIndex * GOLDEN_ANGLE) % 360 + 360) % 360;
        double chroma = VALUE * SATURATION;
        double x = chroma * (1 - Math.abs((hue / 60) % 2 - 1));
        double m = VALUE - chroma;
        double[] rgb = switch ((int) (hue / 60)) {
            case 0 -> new double[]{chroma, x, 0};
            case 1 -> new double[]{x, chroma, 0};
            case 2 -> new double[]{0, chroma, x};
            case 3 -> new double[]{0, x, chroma};
            case 4 -> new double[]{x, 0, chroma};
            default -> new double[]{chroma, 0, x};
        };
        return new int[]{channel(rgb[2] + m), channel(rgb[1] + m), channel(rgb[0] + m)};
    }

    /** The class colour as an OpenCV scalar (B, G, R); the caller closes it. */
    public static Scalar scalar(int classIndex) {
        int[] bgr = bgr(classIndex);
        return new Scalar(bgr[0], bgr[1], bgr[2], 0);
    }

    private static int channel(double fraction) {
        return (int) Math.round(fraction * 255);
    }
}
