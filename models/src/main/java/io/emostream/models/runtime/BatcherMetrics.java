package io.emostream.models.runtime;

/**
 * A snapshot of one batcher's counters since it started.
 *
 * @param requests          requests given their slice of a batch's outputs (valid or not)
 * @param failed            requests that failed (session error, invalid output), timeouts included
 * @param timedOut          requests whose deadline passed
 * @param batches           session calls made for whole batches
 * @param batchSizeCounts   index = batch size, value = number of batches of that size
 * @param meanQueueMs       mean wait from submit to the start of the request's batch
 * @param maxQueueMs        longest such wait
 * @param meanRunMs         mean session call time per batch
 * @param maxRunMs          longest session call
 */
public record BatcherMetrics(long requests, long failed, long timedOut, long batches, long[] batchSizeCounts,
                             double meanQueueMs, double maxQueueMs, double meanRunMs, double maxRunMs) {

    public static final BatcherMetrics EMPTY = new BatcherMetrics(0, 0, 0, 0, new long[1], 0, 0, 0, 0);

    public double meanBatchSize() {
        long rows = 0;
        for (int size = 0; size < batchSizeCounts.length; size++) {
            rows += size * batchSizeCounts[size];
        }
        return batches == 0 ? 0 : (double) rows / batches;
    }
}
