package io.emostream.models.runtime;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.DecodedImage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One user's handle on a predictor shared JVM-wide through {@link Predictors#shared}. Calls go to the shared
 * predictor (and so into its one batcher); {@link #close()} releases this handle only, and the last handle closed
 * closes the predictor. Closing a handle twice is harmless.
 */
public final class SharedPredictor<R> implements Predictor<R> {
    private final Predictor<R> delegate;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    SharedPredictor(Predictor<R> delegate, Runnable release) {
        this.delegate = delegate;
        this.release = release;
    }

    @Override
    public ModelCard card() {
        return delegate.card();
    }

    @Override
    public String executionProvider() {
        return delegate.executionProvider();
    }

    @Override
    public CompletableFuture<R> submit(DecodedImage image) {
        checkOpen();
        return delegate.submit(image);
    }

    @Override
    public R predict(DecodedImage image) throws InferenceException {
        checkOpen();
        return delegate.predict(image);
    }

    @Override
    public BatcherMetrics metrics() {
        return delegate.metrics();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this handle on model " + delegate.card().name() + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }
}
