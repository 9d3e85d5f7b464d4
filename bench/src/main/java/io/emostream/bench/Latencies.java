package io.emostream.bench;

import java.util.Arrays;

/**
 * Percentiles of per-frame latencies, nearest-rank method (the value below which p% of the samples lie).
 *
 * @param count samples
 */
public record Latencies(double p50Ms, double p95Ms, double p99Ms, double maxMs, int count) {
    public static final Latencies NONE = new Latencies(0, 0, 0, 0, 0);

    public static Latencies ofMillis(double[] samples) {
        if (samples.length == 0) {
            return NONE;
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new Latencies(rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted[sorted.length - 1],
                sorted.length);
    }

    private static double rank(double[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

    /** The median of repeated measurements (the mean of the middle two for an even count). */
    public static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
