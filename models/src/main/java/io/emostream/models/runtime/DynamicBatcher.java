package io.emostream.models.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Groups concurrent requests for one model into batches, the way Triton's dynamic batcher does: a batch runs when it
 * holds {@code maxBatch} requests or when its oldest request has waited {@code maxWaitMs}. One worker thread makes
 * one session call per batch and hands each request its slice of the outputs.
 *
 * <p>A bad request fails alone: every row's outputs are checked for NaN/Inf, and if the batch call itself throws, the
 * rows are retried one by one. Every request has a deadline ({@code requestTimeoutMs}) after which its future fails
 * with an {@link InferenceException}, whatever the worker is doing.
 */
public final class DynamicBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

    private final String model;
    private final BatchRunner runner;
    private final int rowFloats;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final long timeoutMs;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final FloatBuffer batchBuffer;
    private final Stats stats;
    private final Thread worker;
    private volatile boolean running = true;

    private record Request(PreparedInput input, CompletableFuture<RowOutput> future, long submittedNanos) { }

    /**
     * @param model     name used in messages and the worker thread's name
     * @param rowFloats floats in one input row (C*H*W)
     */
    public DynamicBatcher(String model, BatchRunner runner, int rowFloats, RuntimeConfig config) {
        this.model = model;
        this.runner = runner;
        this.rowFloats = rowFloats;
        this.maxBatch = config.maxBatch();
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(config.maxWaitMs());
        this.timeoutMs = config.requestTimeoutMs();
        this.batchBuffer = FloatBufferPool.allocate((long) rowFloats * maxBatch);
        this.stats = new Stats(maxBatch);
        this.worker = new Thread(this::work, "emostream-batcher-" + model);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * Queues a pre-processed input; the batcher owns it from here and closes it. The future completes with this
     * request's outputs, or with an {@link InferenceException} (invalid output, session failure, deadline, closed).
     */
    public CompletableFuture<RowOutput> submit(PreparedInput input) {
        CompletableFuture<RowOutput> future = new CompletableFuture<>();
        if (input.data().remaining() != rowFloats) {
            input.close();
            future.completeExceptionally(new InferenceException("input of " + input.data().remaining()
                    + " floats does not fit model " + model + " (" + rowFloats + " per row)"));
            return future;
        }
        if (!running) {
            input.close();
            future.completeExceptionally(new InferenceException("model " + model + " is closed"));
            return future;
        }
        Deadlines.bound(future, timeoutMs, "request to model " + model, stats::timedOut);
        queue.add(new Request(input, future, System.nanoTime()));
        return future;
    }

    public BatcherMetrics metrics() {
        return stats.snapshot();
    }

    private void work() {
        List<Request> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null || skipIfDone(first)) {
                    continue;
                }
                batch.add(first);
                long flushAt = first.submittedNanos + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = flushAt - System.nanoTime();
                    Request next = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (!skipIfDone(next)) {
                        batch.add(next);
                    }
                }
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) { // a bug must not kill the worker and leave every later request hanging
                LOG.error("batcher for model {} failed a batch", model, e);
                fail(batch, new InferenceException("model " + model + ": " + e, e));
            } finally {
                batch.forEach(r -> r.input.close());
                batch.clear();
            }
        }
        Request left;
        while ((left = queue.poll()) != null) {
            left.input.close();
            left.future.completeExceptionally(new InferenceException("model " + model + " is closed"));
        }
    }

    /** A request whose deadline already passed takes no room in a batch. */
    private boolean skipIfDone(Request r) {
        if (r.future.isDone()) {
            r.input.close();
            return true;
        }
        return false;
    }

    private void runBatch(List<Request> batch) {
        try {
            deliver(batch, call(batch));
        } catch (Exception e) {
            if (batch.size() == 1) {
                fail(batch, new InferenceException("model " + model + " failed: " + e.getMessage(), e));
                return;
            }
            LOG.warn("batch of {} failed on model {} ({}); retrying its rows one by one", batch.size(), model,
                    e.toString());
            for (Request r : batch) {
                if (!r.future.isDone()) {
                    runBatch(List.of(r));
                }
            }
        }
    }

    /** A batch's outputs and when its session call started and how long it took. */
    private record Ran(Map<String, BatchRunner.Tensor> outputs, long startNanos, float runMs) { }

    private Ran call(List<Request> batch) throws Exception {
        int rows = batch.size();
        batchBuffer.clear();
        for (Request r : batch) {
            batchBuffer.put(r.input.data());
        }
        batchBuffer.flip();
        long start = System.nanoTime();
        Map<String, BatchRunner.Tensor> outputs = runner.run(batchBuffer.duplicate(), rows);
        float runMs = (System.nanoTime() - start) / 1e6f;
        stats.batch(rows, runMs);
        for (Map.Entry<String, BatchRunner.Tensor> e : outputs.entrySet()) {
            long[] shape = e.getValue().shape();
            if (shape.length == 0 || shape[0] != rows || e.getValue().data().length % rows != 0) {
                throw new InferenceException("output '" + e.getKey() + "' has batch dimension "
                        + (shape.length == 0 ? "none" : shape[0]) + " for a batch of " + rows);
            }
        }
        return new Ran(outputs, start, runMs);
    }

    private void deliver(List<Request> batch, Ran ran) {
        int rows = batch.size();
        Map<String, BatchRunner.Tensor> outputs = ran.outputs();
        for (int i = 0; i < rows; i++) {
            Request r = batch.get(i);
            float queueMs = (ran.startNanos() - r.submittedNanos) / 1e6f;
            stats.queued(queueMs);
            Map<String, float[]> values = new HashMap<>();
            Map<String, long[]> shapes = new HashMap<>();
            String invalid = null;
            for (Map.Entry<String, BatchRunner.Tensor> e : outputs.entrySet()) {
                float[] all = e.getValue().data();
                int per = all.length / rows;
                float[] row = new float[per];
                System.arraycopy(all, i * per, row, 0, per);
                if (invalid == null && !allFinite(row)) {
                    invalid = e.getKey();
                }
                long[] shape = e.getValue().shape();
                long[] rowShape = new long[shape.length - 1];
                System.arraycopy(shape, 1, rowShape, 0, rowShape.length);
                values.put(e.getKey(), row);
                shapes.put(e.getKey(), rowShape);
            }
            if (invalid != null) {
                fail(List.of(r), new InferenceException("model " + model + " produced NaN or infinite values in output '"
                        + invalid + "' for this input"));
            } else {
                r.future.complete(new RowOutput(values, shapes, rows, queueMs, ran.runMs()));
            }
        }
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private void fail(List<Request> requests, InferenceException e) {
        for (Request r : requests) {
            if (r.future.completeExceptionally(e)) {
                stats.failed();
            }
        }
    }

    /**
     * Stops the worker (waiting up to the request timeout for a running batch); queued requests fail with "closed".
     */
    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(timeoutMs + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** False while a session call that outlived {@link #close()} is still running: its session must stay open. */
    public boolean stopped() {
        return !worker.isAlive();
    }

    /** Counters behind {@link BatcherMetrics}; updated by the worker and the deadline timer. */
    private static final class Stats {
        private final long[] sizes;
        private long requests;
        private long failed;
        private long timedOut;
        private long batches;
        private double queueSum;
        private double queueMax;
        private double runSum;
        private double runMax;

        Stats(int maxBatch) {
            sizes = new long[maxBatch + 1];
        }

        synchronized void batch(int size, float runMs) {
            batches++;
            sizes[size]++;
            runSum += runMs;
            runMax = Math.max(runMax, runMs);
        }

        synchronized void queued(float ms) {
            requests++;
            queueSum += ms;
            queueMax = Math.max(queueMax, ms);
        }

        synchronized void failed() {
            failed++;
        }

        synchronized void timedOut() {
            timedOut++;
            failed++;
        }

        synchronized BatcherMetrics snapshot() {
            return new BatcherMetrics(requests, failed, timedOut, batches, sizes.clone(),
                    requests == 0 ? 0 : queueSum / requests, queueMax, batches == 0 ? 0 : runSum / batches, runMax);
        }
    }
}
