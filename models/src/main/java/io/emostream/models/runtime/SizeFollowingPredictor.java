package io.emostream.models.runtime;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.image.FrameMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The predictor of a model whose input size follows the frame ({@link ModelCard.Resize#FIT}): a graph has one input
 * size, so each input size the card's rule gives gets a predictor of its own (graph, session, batcher, warm-up),
 * opened when a frame that needs it first arrives; a batch therefore always holds one size. At most
 * {@link RuntimeConfig#maxInputSizes} are open: a frame that would need one more fails with a message naming its size,
 * and its caller dead-letters it, so an unexpected camera resolution never grows memory without bound.
 */
public final class SizeFollowingPredictor<R> implements Predictor<R> {
    private static final Logger LOG = LoggerFactory.getLogger(SizeFollowingPredictor.class);

    /** Opens the model's predictor for one input size. */
    @FunctionalInterface
    public interface SizedFactory<R> {
        Predictor<R> open(int inputWidth, int inputHeight) throws ModelLoadException;
    }

    private record InputSize(int width, int height) {
        @Override
        public String toString() { return width + "x" + height; }
    }

    private final ModelCard card;
    private final SizedFactory<R> factory;
    private final int maxSizes;
    private final long timeoutMs;
    private final Predictor<R> first;
    /** Read without the lock (the frames of sizes already open never wait); written under it. */
    private final Map<InputSize, Predictor<R>> open = new ConcurrentHashMap<>();
    /** Sizes that could not be opened, with the reason: their frames fail at once instead of building again. */
    private final Map<InputSize, String> refused = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Takes over {@code first} (already open for the card's own graph size), closed with this predictor. */
    public SizeFollowingPredictor(ModelCard card, Predictor<R> first, RuntimeConfig config, SizedFactory<R> factory) {
        this.card = card;
        this.factory = factory;
        this.maxSizes = config.maxInputSizes();
        this.timeoutMs = config.requestTimeoutMs();
        this.first = first;
        open.put(new InputSize(card.input().width(), card.input().height()), first);
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public String executionProvider() {
        return first.executionProvider();
    }

    @Override
    public CompletableFuture<R> submit(DecodedImage image) {
        try {
            return predictorFor(image).submit(image);
        } catch (InferenceException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public R predict(DecodedImage image) throws InferenceException {
        return predictorFor(image).predict(image);
    }

    /** The predictor of the input size the card's rule gives this frame. */
    private Predictor<R> predictorFor(DecodedImage image) throws InferenceException {
        FrameMapping m = FrameMapping.forInput(card.input(), image.width(), image.height());
        InputSize size = new InputSize(m.inputWidth(), m.inputHeight());
        Predictor<R> p = open.get(size);
        if (p != null && !closed) {
            return p;
        }
        return opened(size, image);
    }

    /**
     * A new size's predictor, opened and warmed up under the lock: other new sizes wait the seconds this takes, which
     * keeps two threads from building the same graph twice; sizes already open do not wait.
     */
    private synchronized Predictor<R> opened(InputSize size, DecodedImage image) throws InferenceException {
        if (closed) {
            throw new InferenceException(InferenceException.Reason.CLOSED, "model " + card.name() + " is closed");
        }
        Predictor<R> p = open.get(size);
        if (p != null) {
            return p;
        }
        String reason = refused.get(size);
        if (reason != null) {
            throw new InferenceException(InferenceException.Reason.MODEL_ERROR, reason);
        }
        if (open.size() >= maxSizes) {
            throw new InferenceException(InferenceException.Reason.MODEL_ERROR, "model " + card.name() + " already "
                    + "runs the " + open.size() + " input sizes it may (" + open.keySet() + ", model.input.sizes.max = "
                    + maxSizes + "); a " + image.width() + "x" + image.height() + " frame needs the input size " + size
                    + " (its aspect ratio differs): raise model.input.sizes.max or send frames of the sizes already "
                    + "running");
        }
        long start = System.nanoTime();
        try {
            p = factory.open(size.width(), size.height());
        } catch (ModelLoadException e) {
            String message = "model " + card.name() + " cannot run the input size " + size + " that "
                    + image.width() + "x" + image.height() + " frames need: " + e.getMessage();
            refused.put(size, message);
            LOG.warn(message);
            throw new InferenceException(InferenceException.Reason.MODEL_ERROR, message, e);
        }
        open.put(size, p);
        waitForWarmUp(p, size);
        LOG.info("model {}: opened input size {} (for {}x{} frames; {} of at most {} sizes) in {} ms", card.name(),
                size, image.width(), image.height(), open.size(), maxSizes,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return p;
    }

    /** A failed warm-up is logged, not fatal: the frames then show whether the session runs. */
    private void waitForWarmUp(Predictor<R> p, InputSize size) {
        try {
            p.warmUp().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("model {}: warm-up at input size {} did not finish: {}", card.name(), size, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The input sizes open now, {width, height} each, the card's own first. */
    List<int[]> inputSizes() {
        List<int[]> sizes = new ArrayList<>();
        sizes.add(new int[]{card.input().width(), card.input().height()});
        open.keySet().stream().filter(s -> s.width() != card.input().width() || s.height() != card.input().height())
                .forEach(s -> sizes.add(new int[]{s.width(), s.height()}));
        return sizes;
    }

    /** Warms up the sizes open now (the card's own at first); later sizes are warmed up as they open. */
    @Override
    public CompletableFuture<Void> warmUp() {
        return CompletableFuture.allOf(open.values().stream().map(Predictor::warmUp).toArray(CompletableFuture[]::new));
    }

    /** The batchers of every open size together. */
    @Override
    public BatcherMetrics metrics() {
        return BatcherMetrics.sum(open.values().stream().map(Predictor::metrics).toList());
    }

    @Override
    public void close() {
        List<Predictor<R>> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(open.values());
            open.clear();
        }
        all.forEach(Predictor::close);
    }
}
