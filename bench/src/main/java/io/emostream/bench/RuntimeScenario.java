package io.emostream.bench;

import io.emostream.ingest.EncodedImage;
import io.emostream.models.image.DecodeReduction;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.image.ImageDecoder;
import io.emostream.models.image.ImageFormat;
import io.emostream.models.image.ImageLimits;
import io.emostream.models.runtime.BatcherMetrics;
import io.emostream.models.runtime.Predictor;
import io.emostream.models.runtime.StageTimings;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime without Kafka: N caller threads each take the next pre-encoded JPEG, decode it, and call the
 * predictor synchronously (pre-processing on the caller's thread, the shared dynamic batcher, post-processing), as
 * the stream threads do. Each thread count gets a fresh predictor, so the batcher's counters are its own.
 */
public final class RuntimeScenario {
    private final BenchModel model;
    private final BenchSettings settings;
    private final List<EncodedImage> frames;
    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    private final DecodeReduction reduction; // as the pipeline decodes for this model

    /**
     * @param fps     frames per second
     * @param latency per frame, from taking the JPEG to holding the result
     * @param stages  per-frame stage times and batch sizes
     * @param batches session calls the batcher made while measuring
     * @param load    1-minute load average of the machine when it was measured
     */
    public record Row(int threads, double fps, Latencies latency, StageBreakdown stages, long batches,
                      String provider, double load) { }

    public RuntimeScenario(BenchModel model, BenchSettings settings, List<EncodedImage> frames) {
        this.model = model;
        this.settings = settings;
        this.frames = frames;
        this.reduction = DecodeReduction.forInputs(List.of(model.card().input()));
    }

    public Row measure(int threads) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-caller");
            t.setDaemon(true);
            return t;
        });
        try (Predictor<?> predictor = model.predictor(settings.runtime())) {
            pass(predictor, callers, threads, settings.warmup(), null, null);
            long batchesBefore = predictor.metrics().batches();
            int n = settings.frames();
            double[] latencies = new double[n];
            StageBreakdown.Accumulator stages = new StageBreakdown.Accumulator();
            long start = System.nanoTime();
            pass(predictor, callers, threads, n, latencies, stages);
            double fps = n / ((System.nanoTime() - start) / 1e9);
            BatcherMetrics metrics = predictor.metrics();
            return new Row(threads, fps, Latencies.ofMillis(latencies), stages.breakdown(),
                    metrics.batches() - batchesBefore, predictor.executionProvider(), MachineState.loadAverage());
        } finally {
            callers.shutdownNow();
        }
    }

    /** Runs {@code count} frames through the predictor from {@code threads} callers; records when asked to. */
    private void pass(Predictor<?> predictor, ExecutorService callers, int threads, int count, double[] latencyMs,
                      StageBreakdown.Accumulator stages) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(callers.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    EncodedImage frame = frames.get(i % frames.size());
                    long start = System.nanoTime();
                    Object result;
                    double decodeMs;
                    try (DecodedImage image = decoder.decode(frame.bytes(), ImageFormat.JPEG, frame.width(),
                            frame.height(), reduction)) {
                        decodeMs = (System.nanoTime() - start) / 1e6;
                        result = predictor.predict(image);
                    }
                    if (latencyMs != null) {
                        latencyMs[i] = (System.nanoTime() - start) / 1e6;
                        StageTimings timings = BenchModel.timings(result);
                        stages.add(decodeMs + timings.preprocessMs(), timings.queueMs(), timings.inferenceMs(),
                                timings.postprocessMs(), timings.batchSize());
                    }
                }
                return null;
            }));
        }
        for (Future<Void> worker : workers) {
            try {
                worker.get();
            } catch (ExecutionException e) {
                // the caller's own failure (a model error, a timeout), not the executor's wrapper
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }
}
