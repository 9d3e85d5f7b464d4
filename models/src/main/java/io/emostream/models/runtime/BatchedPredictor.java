package io.emostream.models.runtime;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.DecodedImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * A {@link Predictor} made of the three translator steps: {@link Preprocessor} on the caller's thread, the
 * {@link DynamicBatcher} for the session call, and an {@link OutputDecoder} on a small post-processing pool (so the
 * batcher's thread only runs the model).
 *
 * @param <P> what the decoder produces
 * @param <R> the result handed to callers
 */
public final class BatchedPredictor<P, R> implements Predictor<R> {
    private static final Logger LOG = LoggerFactory.getLogger(BatchedPredictor.class);
    private final ModelCard card;
    private final ModelSession session;
    private final Preprocessor preprocessor;
    private final DynamicBatcher batcher;
    private final OutputDecoder<P> decoder;
    private final BiFunction<P, StageTimings, R> assemble;
    private final ExecutorService postprocess;
    private final long timeoutMs;
    private CompletableFuture<Void> warmUp; // guarded by this

    /**
     * Takes over {@code session} (closed with this predictor).
     *
     * @throws IllegalArgumentException when the card's input spec is unusable (its message says why)
     */
    public BatchedPredictor(ModelCard card, ModelSession session, RuntimeConfig config, OutputDecoder<P> decoder,
                            BiFunction<P, StageTimings, R> assemble) {
        this.card = card;
        this.session = session;
        this.preprocessor = new Preprocessor(card.input(), config.maxBatch() * 4);
        this.batcher = new DynamicBatcher(card.name(), session, preprocessor.rowFloats(), session.config());
        this.decoder = decoder;
        this.assemble = assemble;
        this.timeoutMs = config.requestTimeoutMs();
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.postprocess = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "emostream-postprocess-" + card.name());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public String executionProvider() {
        return session.provider().id();
    }

    @Override
    public BatcherMetrics metrics() {
        return batcher.metrics();
    }

    /**
     * Runs the session once at each of the configuration's warm-up batch sizes ({@link RuntimeConfig#warmupSizes}),
     * see {@link SessionWarmUp}, on a thread of its own the first time it is called; later calls get the same future.
     */
    @Override
    public synchronized CompletableFuture<Void> warmUp() {
        if (warmUp == null) {
            warmUp = new CompletableFuture<>();
            Thread thread = new Thread(this::runWarmUp, "emostream-warmup-" + card.name());
            thread.setDaemon(true);
            thread.start();
        }
        return warmUp;
    }

    private void runWarmUp() {
        long start = System.nanoTime();
        try {
            List<Integer> sizes = SessionWarmUp.run(card.name(), session, preprocessor.rowFloats(),
                    session.config().warmupSizes());
            if (!sizes.isEmpty()) {
                LOG.info("model {}: warmed up at batch sizes {} in {} ms", card.name(), sizes,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            warmUp.complete(null);
        } catch (InferenceException | RuntimeException e) {
            warmUp.completeExceptionally(e);
        }
    }

    /** Whether no warm-up call can still be running, waiting up to the request timeout for one that is. */
    private boolean warmUpEnded() {
        CompletableFuture<Void> running;
        synchronized (this) {
            running = warmUp;
        }
        if (running == null) {
            return true;
        }
        try {
            running.get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public CompletableFuture<R> submit(DecodedImage image) {
        PreparedInput input = preprocessor.prepare(image);
        float preprocessMs = input.preprocessMs();
        var mapping = input.mapping();
        CompletableFuture<RowOutput> row = batcher.submit(input);
        CompletableFuture<R> result = row.thenApplyAsync(out -> {
            long start = System.nanoTime();
            P payload;
            try {
                payload = decoder.decode(out, mapping);
            } catch (InferenceException e) {
                throw new CompletionException(e);
            }
            float postMs = (System.nanoTime() - start) / 1e6f;
            return assemble.apply(payload,
                    new StageTimings(preprocessMs, out.queueMs(), out.runMs(), postMs, out.batchSize()));
        }, postprocess);
        result.whenComplete((r, e) -> {
            if (e != null) {
                row.completeExceptionally(e); // a timed-out request leaves the queue
            }
        });
        return Deadlines.bound(result, timeoutMs, "request to model " + card.name(), () -> { });
    }

    @Override
    public R predict(DecodedImage image) throws InferenceException {
        CompletableFuture<R> future = submit(image);
        try {
            // the future's own deadline fires first; the margin only guards against a lost timer
            return future.get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            if (cause instanceof InferenceException ie) {
                throw ie;
            }
            throw new InferenceException(InferenceException.Reason.MODEL_ERROR, "model " + card.name() + " failed: "
                    + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new InferenceException(InferenceException.Reason.TIMEOUT, "request to model " + card.name()
                    + " timed out after " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw new InferenceException(InferenceException.Reason.MODEL_ERROR, "interrupted while waiting for model "
                    + card.name(), e);
        }
    }

    @Override
    public void close() {
        batcher.close();
        postprocess.shutdown();
        if (batcher.stopped() && warmUpEnded()) {
            session.close();
        } else {
            LOG.warn("model {}: a session call is still running after close; leaving its session open", card.name());
        }
    }
}
