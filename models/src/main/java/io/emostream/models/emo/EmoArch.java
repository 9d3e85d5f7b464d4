package io.emostream.models.emo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The four EMO sizes, configured as the authors released them (docs/MODELS.md, "Stages and sizes"). */
public enum EmoArch {
    EMO_1M(new int[]{2, 2, 8, 3}, new int[]{32, 48, 80, 168}, new double[]{2, 2.5, 3, 3.5}, new int[]{20, 21}, 7, 7),
    EMO_2M(new int[]{3, 3, 9, 3}, new int[]{32, 48, 120, 200}, new double[]{2, 2.5, 3, 3.5}, new int[]{20, 20}, 7, 7),
    EMO_5M(new int[]{3, 3, 9, 3}, new int[]{48, 72, 160, 288}, new double[]{2, 3, 4, 4}, new int[]{32, 32}, 10, 16),
    EMO_6M(new int[]{3, 3, 9, 3}, new int[]{48, 72, 160, 320}, new double[]{2, 3, 4, 5}, new int[]{20, 32}, 7, 7);

    /** Stem width, the same in all four. */
    public static final int STEM_WIDTH = 24;

    private final int[] depths;
    private final int[] widths;
    private final double[] expRatios;
    private final int[] dimHeads;
    private final int detectionWindow;
    private final int segmentationWindow;

    EmoArch(int[] depths, int[] widths, double[] expRatios, int[] dimHeads, int detectionWindow,
            int segmentationWindow) {
        this.depths = depths;
        this.widths = widths;
        this.expRatios = expRatios;
        this.dimHeads = dimHeads;
        this.detectionWindow = detectionWindow;
        this.segmentationWindow = segmentationWindow;
    }

    /** {@code emo-1m}, as used in model names and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code EMO-1M}, for people. */
    public String displayName() {
        return name().replace('_', '-');
    }

    /** @param stage 1..4 */
    public int depth(int stage) { return depths[stage - 1]; }

    /** @param stage 1..4 */
    public int width(int stage) { return widths[stage - 1]; }

    /** @param stage 1..4 */
    public double expRatio(int stage) { return expRatios[stage - 1]; }

    /** @param stage 3 or 4 (the stages with attention) */
    public int dimHead(int stage) { return dimHeads[stage - 3]; }

    /** Window size the authors used for the detection heads (SSDLite, RetinaNet). */
    public int detectionWindow() { return detectionWindow; }

    /** Window size the authors used for the segmentation heads (DeepLabv3, PSPNet). */
    public int segmentationWindow() { return segmentationWindow; }

    /** Parses {@code emo-1m} (case-insensitive, {@code _} accepted for {@code -}). */
    public static EmoArch parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (EmoArch arch : values()) {
            if (arch.id().equals(wanted)) {
                return arch;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + name + "'; valid: " + Arrays.stream(values())
                .map(EmoArch::id).collect(Collectors.joining(", ")));
    }
}
