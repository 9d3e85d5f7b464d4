package io.emostream.models.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * A snapshot of one batcher's counters since it started. Totals only grow, so they can be exported as counters.
 *
 * @param requests          requests given their slice of a batch's outputs (valid or not)
 * @param failed            requests that failed (session error, invalid output), timeouts included
 * @param timedOut          requests whose deadline passed
 * @param nonFinite         requests whose outputs held NaN or infinite values (also counted in {@code failed})
 * @param batches           session calls made for whole batches
 * @param batchSizeCounts   index = batch size, value = number of batches of that size
 * @param inFlight          requests submitted and not yet answered (queued or in a running batch), now
 * @param totalQueueMs      summed wait from submit to the start of each request's batch
 * @param maxQueueMs        longest such wait
 * @param totalRunMs        summed session call time of the batches
 * @param maxRunMs          longest session call
 */
public record BatcherMetrics(long requests, long failed, long timedOut, long nonFinite, long batches,
                             long[] batchSizeCounts, long inFlight, double totalQueueMs, double maxQueueMs,
                             double totalRunMs, double maxRunMs) {

    public static final BatcherMetrics EMPTY = new BatcherMetrics(0, 0, 0, 0, 0, new long[1], 0, 0, 0, 0, 0);

    /** The counters of several batchers together (one model's, one per input size). */
    public static BatcherMetrics sum(List<BatcherMetrics> parts) {
        BatcherMetrics total = EMPTY;
        for (BatcherMetrics m : parts) {
            long[] sizes = Arrays.copyOf(total.batchSizeCounts, Math.max(total.batchSizeCounts.length,
                    m.batchSizeCounts.length));
            for (int i = 0; i < m.batchSizeCounts.length; i++) {
                sizes[i] += m.batchSizeCounts[i];
            }
            total = new BatcherMetrics(total.requests + m.requests, total.failed + m.failed,
                    total.timedOut + m.timedOut, total.nonFinite + m.nonFinite, total.batches + m.batches, sizes,
                    total.inFlight + m.inFlight, total.totalQueueMs + m.totalQueueMs,
                    Math.max(total.maxQueueMs, m.maxQueueMs), total.totalRunMs + m.totalRunMs,
                    Math.max(total.maxRunMs, m.maxRunMs));
        }
        return total;
    }

    /** Mean wait from submit to the start of the request's batch. */
    public double meanQueueMs() {
        return requests == 0 ? 0 : totalQueueMs / requests;
    }

    /** Mean session call time per batch. */
    public double meanRunMs() {
        return batches == 0 ? 0 : totalRunMs / batches;
    }

    public double meanBatchSize() {
        long rows = 0;
        for (int size = 0; size < batchSizeCounts.length; size++) {
            rows += size * batchSizeCounts[size];
        }
        return batches == 0 ? 0 : (double) rows / batches;
    }
}
