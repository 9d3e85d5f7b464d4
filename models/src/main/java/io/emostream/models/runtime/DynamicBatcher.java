package io.emostream.models.runtime;

import io.emostream.models.runtime.InferenceException.Reason;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Groups concurrent requests for one model into batches, the way Triton's dynamic batcher does, and runs up to
 * {@code batchConcurrency} batches at once (ONNX Runtime sessions are thread-safe). The policy:
 * <ul>
 *   <li>When no batch is running (the session is idle), a request is dispatched at once, together with whatever else
 *       is already queued (up to {@code maxBatch}): a lone request never waits for company that may not come.</li>
 *   <li>Requests that arrive while every slot runs a batch queue up; when a slot frees, they form the next batch
 *       (up to {@code maxBatch}, the rest stay queued, oldest first).</li>
 *   <li>{@code maxWaitMs} only applies while another batch is in flight and a further slot is free (concurrency
 *       above 1): the next batch then waits until it holds {@code maxBatch} requests or its oldest request has
 *       waited {@code maxWaitMs}. With a concurrency of 1 it never delays a request.</li>
 * </ul>
 * One collector thread forms the batches; {@code batchConcurrency} runner threads make one session call per batch
 * and hand each request its slice of the outputs.
 *
 * <p>A bad request fails alone: every row's outputs are checked for NaN/Inf, and if the batch call itself throws, the
 * rows are retried one by one. Every request has a deadline ({@code requestTimeoutMs}) after which its future fails
 * with an {@link InferenceException}, whatever the batcher is doing.
 */
public final class DynamicBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);
    /** Names of the threads that make the session calls start with this, then the model's name. */
    public static final String RUNNER_THREADS = "emostream-batch-";

    private final String model;
    private final BatchRunner runner;
    private final int rowFloats;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final long timeoutMs;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    /** One input buffer per slot: taking one is how the collector waits for a free slot. */
    private final ArrayBlockingQueue<FloatBuffer> freeBuffers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService runners;
    private final Stats stats;
    private final Thread collector;
    private volatile boolean running = true;

    private record Request(PreparedInput input, CompletableFuture<RowOutput> future, long submittedNanos) { }

    /**
     * @param model     name used in messages and the threads' names
     * @param rowFloats floats in one input row (C*H*W)
     */
    public DynamicBatcher(String model, BatchRunner runner, int rowFloats, RuntimeConfig config) {
        this.model = model;
        this.runner = runner;
        this.rowFloats = rowFloats;
        this.maxBatch = config.maxBatch();
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(config.maxWaitMs());
        this.timeoutMs = config.requestTimeoutMs();
        int slots = Math.max(1, config.batchConcurrency()); // auto (0) is resolved with the session's provider
        // (RuntimeConfig.resolvedFor)
        this.freeBuffers = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            freeBuffers.add(FloatBufferPool.allocate((long) rowFloats * maxBatch));
        }
        AtomicInteger threadIds = new AtomicInteger();
        this.runners = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, RUNNER_THREADS + model + "-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.stats = new Stats(maxBatch);
        this.collector = new Thread(this::collect, "emostream-batcher-" + model);
        this.collector.setDaemon(true);
        this.collector.start();
    }

    /**
     * Queues a pre-processed input; the batcher owns it from here and closes it. The future completes with this
     * request's outputs, or with an {@link InferenceException} (invalid output, session failure, deadline, closed).
     */
    public CompletableFuture<RowOutput> submit(PreparedInput input) {
        CompletableFuture<RowOutput> future = new CompletableFuture<>();
        if (input.data().remaining() != rowFloats) {
            input.close();
            future.completeExceptionally(new InferenceException(Reason.MODEL_ERROR,
                    "input of " + input.data().remaining() + " floats does not fit model " + model + " ("
                    + rowFloats + " per row)"));
            return future;
        }
        if (!running) {
            input.close();
            future.completeExceptionally(closed());
            return future;
        }
        Deadlines.bound(future, timeoutMs, "request to model " + model, stats::timedOut);
        stats.submitted();
        future.whenComplete((output, error) -> stats.answered()); // however it ends: result, failure, deadline
        queue.add(new Request(input, future, System.nanoTime()));
        return future;
    }

    public BatcherMetrics metrics() {
        return stats.snapshot();
    }

    private void collect() {
        while (running) {
            List<Request> batch = new ArrayList<>(maxBatch);
            FloatBuffer buffer = null;
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null || skipIfDone(first)) {
                    continue;
                }
                batch.add(first);
                buffer = freeBuffers.take(); // while every slot is busy, later requests queue behind this one
                if (inFlight.get() > 0) {
                    collectUntil(batch, first.submittedNanos + maxWaitNanos);
                } else {
                    collectUntil(batch, 0); // idle session: what is queued now, no waiting
                }
                dispatch(batch, buffer);
                buffer = null;
                batch = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) { // a bug must not kill the collector and leave every later request hanging
                LOG.error("batcher for model {} failed to form a batch", model, e);
                fail(batch, new InferenceException(Reason.MODEL_ERROR, "model " + model + ": " + e, e));
            } finally {
                if (batch != null) { // not handed to a runner
                    fail(batch, closed());
                    batch.forEach(r -> r.input.close());
                }
                if (buffer != null) {
                    freeBuffers.add(buffer);
                }
            }
        }
        Request left;
        while ((left = queue.poll()) != null) {
            left.input.close();
            left.future.completeExceptionally(closed());
        }
    }

    private InferenceException closed() {
        return new InferenceException(Reason.CLOSED, "model " + model + " is closed");
    }

    /** Adds queued requests to {@code batch} until it is full or, once the queue is empty, {@code flushAt} passed. */
    private void collectUntil(List<Request> batch, long flushAt) throws InterruptedException {
        while (batch.size() < maxBatch) {
            long left = flushAt - System.nanoTime();
            Request next = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            if (!skipIfDone(next)) {
                batch.add(next);
            }
        }
    }

    private void dispatch(List<Request> batch, FloatBuffer buffer) {
        inFlight.incrementAndGet();
        runners.execute(() -> {
            try {
                runBatch(batch, buffer);
            } catch (RuntimeException e) {
                LOG.error("batcher for model {} failed a batch", model, e);
                fail(batch, new InferenceException(Reason.MODEL_ERROR, "model " + model + ": " + e, e));
            } finally {
                batch.forEach(r -> r.input.close());
                inFlight.decrementAndGet(); // before the buffer returns: a collector that gets it sees an idle slot
                freeBuffers.add(buffer);
            }
        });
    }

    /** A request whose deadline already passed takes no room in a batch. */
    private boolean skipIfDone(Request r) {
        if (r.future.isDone()) {
            r.input.close();
            return true;
        }
        return false;
    }

    private void runBatch(List<Request> batch, FloatBuffer buffer) {
        try {
            deliver(batch, call(batch, buffer));
        } catch (Exception e) {
            if (batch.size() == 1) {
                Reason reason = e instanceof InferenceException ie ? ie.reason() : Reason.MODEL_ERROR;
                fail(batch, new InferenceException(reason, "model " + model + " failed: " + e.getMessage(), e));
                return;
            }
            LOG.warn("batch of {} failed on model {} ({}); retrying its rows one by one", batch.size(), model,
                    e.toString());
            for (Request r : batch) {
                if (!r.future.isDone()) {
                    runBatch(List.of(r), buffer);
                }
            }
        }
    }

    /** A batch's outputs and when its session call started and how long it took. */
    private record Ran(Map<String, BatchRunner.Tensor> outputs, long startNanos, float runMs) { }

    private Ran call(List<Request> batch, FloatBuffer buffer) throws Exception {
        int rows = batch.size();
        buffer.clear();
        for (Request r : batch) {
            buffer.put(r.input.data().duplicate());
        }
        buffer.flip();
        long start = System.nanoTime();
        Map<String, BatchRunner.Tensor> outputs = runner.run(buffer.duplicate(), rows);
        float runMs = (System.nanoTime() - start) / 1e6f;
        stats.batch(rows, runMs);
        for (Map.Entry<String, BatchRunner.Tensor> e : outputs.entrySet()) {
            long[] shape = e.getValue().shape();
            if (shape.length == 0 || shape[0] != rows || e.getValue().data().length % rows != 0) {
                throw new InferenceException(Reason.OUTPUT_MISMATCH, "output '" + e.getKey() + "' has batch dimension "
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
                float[] row = rows == 1 ? all : Arrays.copyOfRange(all, i * per, (i + 1) * per); // batch 1: as is
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
                stats.nonFinite();
                fail(List.of(r), new InferenceException(Reason.NON_FINITE_OUTPUT,
                        "model " + model + " produced NaN or infinite values in output '"
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
     * Stops the batcher (waiting up to the request timeout for running batches); queued requests fail with "closed".
     */
    @Override
    public void close() {
        running = false;
        collector.interrupt();
        runners.shutdown();
        try {
            collector.join(timeoutMs + 1000);
            runners.awaitTermination(timeoutMs + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** False while a session call that outlived {@link #close()} is still running: its session must stay open. */
    public boolean stopped() {
        return !collector.isAlive() && runners.isTerminated();
    }

    /** Counters behind {@link BatcherMetrics}; updated by the runners, the callers and the deadline timer. */
    private static final class Stats {
        private final long[] sizes;
        private long requests;
        private long failed;
        private long timedOut;
        private long nonFinite;
        private long batches;
        private long inFlight;
        private double queueSum;
        private double queueMax;
        private double runSum;
        private double runMax;

        Stats(int maxBatch) {
            sizes = new long[maxBatch + 1];
        }

        synchronized void submitted() {
            inFlight++;
        }

        synchronized void answered() {
            inFlight--;
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

        synchronized void nonFinite() {
            nonFinite++;
        }

        synchronized void timedOut() {
            timedOut++;
            failed++;
        }

        synchronized BatcherMetrics snapshot() {
            return new BatcherMetrics(requests, failed, timedOut, nonFinite, batches, sizes.clone(), inFlight,
                    queueSum, queueMax, runSum, runMax);
        }
    }
}
