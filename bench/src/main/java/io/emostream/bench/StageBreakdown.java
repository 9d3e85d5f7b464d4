package io.emostream.bench;

/**
 * Where a frame's time went on average, and the batches frames ran in; from the runtime's per-request timings (the
 * same figures the pipeline writes into each result's {@code latencies}).
 *
 * @param decodeMs      JPEG decode plus pre-processing (resize, normalisation) on the caller's thread
 * @param queueMs       wait in the dynamic batcher until the frame's batch started
 * @param inferenceMs   the session call of the frame's batch
 * @param postprocessMs decoding the frame's outputs
 * @param meanBatch     mean size of the batch a frame ran in
 * @param modeBatch     the batch size most frames ran in
 */
public record StageBreakdown(double decodeMs, double queueMs, double inferenceMs, double postprocessMs,
                             double meanBatch, int modeBatch) {

    /** Collects per-frame timings from many threads. */
    public static final class Accumulator {
        private double decode;
        private double queue;
        private double inference;
        private double postprocess;
        private long[] framesByBatch = new long[17];
        private long frames;

        public synchronized void add(double decodeMs, double queueMs, double inferenceMs, double postprocessMs,
                                     int batchSize) {
            decode += decodeMs;
            queue += queueMs;
            inference += inferenceMs;
            postprocess += postprocessMs;
            if (batchSize >= framesByBatch.length) {
                framesByBatch = java.util.Arrays.copyOf(framesByBatch, batchSize + 1);
            }
            framesByBatch[Math.max(0, batchSize)]++;
            frames++;
        }

        public synchronized StageBreakdown breakdown() {
            if (frames == 0) {
                return new StageBreakdown(0, 0, 0, 0, 0, 0);
            }
            int mode = 0;
            double batchSum = 0;
            for (int size = 0; size < framesByBatch.length; size++) {
                batchSum += (double) size * framesByBatch[size];
                if (framesByBatch[size] > framesByBatch[mode]) {
                    mode = size;
                }
            }
            return new StageBreakdown(decode / frames, queue / frames, inference / frames, postprocess / frames,
                    batchSum / frames, mode);
        }
    }
}
