package io.emostream.models.runtime;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.DecodedImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One user's handle on a predictor shared JVM-wide, one reference of its reference count.
 *
 * <p>Kafka Streams runs many stream threads and tasks in one JVM; they should all feed ONE batcher per model so that
 * their frames batch together and the model is loaded once. {@link #open} registers the predictor under a key (the
 * first call creates it, later calls get another reference on the same one); {@link #acquire} takes a further
 * reference from a handle, so each user can hold its own for exactly as long as it runs. {@link #close()} releases
 * this handle's reference only (twice is harmless), and the last release closes the predictor (session, batcher,
 * threads); a later {@link #open} then creates a fresh one.
 */
public final class SharedPredictor<R> implements Predictor<R> {
    private static final Logger LOG = LoggerFactory.getLogger(SharedPredictor.class);
    private static final Object LOCK = new Object();
    private static final Map<String, Registration> OPEN = new HashMap<>(); // guarded by LOCK

    private final Predictor<R> delegate;
    private final Registration registration; // null: a handle that leaves closing to the predictor's owner
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Creates a predictor; may fail with a message that says what to fix. */
    @FunctionalInterface
    public interface Factory<R> {
        Predictor<R> create() throws ModelLoadException;
    }

    /** A predictor registered under its key, with the configuration it was created with and its references. */
    private static final class Registration {
        final String key;
        final Predictor<?> predictor;
        final RuntimeConfig config;
        int references; // guarded by LOCK; 0 once the predictor is closed

        Registration(String key, Predictor<?> predictor, RuntimeConfig config) {
            this.key = key;
            this.predictor = predictor;
            this.config = config;
        }
    }

    private SharedPredictor(Predictor<R> delegate, Registration registration) {
        this.delegate = delegate;
        this.registration = registration;
    }

    /**
     * A handle on the predictor registered under {@code key}, created by {@code factory} if none is open. A key must
     * always name the same kind of predictor (same result type). The predictor keeps the configuration it was created
     * with: an opener with a different {@code config} is warned about in the log, naming both, and gets the open one.
     */
    @SuppressWarnings("unchecked")
    public static <R> SharedPredictor<R> open(String key, RuntimeConfig config, Factory<R> factory)
            throws ModelLoadException {
        synchronized (LOCK) {
            Registration registration = OPEN.get(key);
            if (registration == null) {
                registration = new Registration(key, factory.create(), config);
                OPEN.put(key, registration);
            } else if (!registration.config.equals(config)) {
                LOG.warn("{} is already open with {}; this opener's {} is not applied (it takes effect once every "
                        + "user of the open one has closed it)", key, registration.config, config);
            }
            registration.references++;
            return new SharedPredictor<>((Predictor<R>) registration.predictor, registration);
        }
    }

    /**
     * A handle for one more user of {@code predictor}, to close when that user stops: another reference when it is
     * a {@code SharedPredictor}, else a handle whose {@code close()} leaves the predictor open for its owner to close.
     */
    public static <R> Predictor<R> handleOn(Predictor<R> predictor) {
        return predictor instanceof SharedPredictor<R> shared
                ? shared.acquire()
                : new SharedPredictor<>(predictor, null);
    }

    /**
     * Another reference on the shared predictor, for another user. This handle may already be closed, as long as
     * another handle still keeps the predictor open.
     *
     * @throws IllegalStateException when every handle was closed and the predictor with them
     */
    public SharedPredictor<R> acquire() {
        if (registration == null) {
            return new SharedPredictor<>(delegate, null);
        }
        synchronized (LOCK) {
            if (registration.references == 0) {
                throw new IllegalStateException("model " + delegate.card().name() + " (" + registration.key
                        + ") was closed with its last handle before this user took its own; keep a handle open "
                        + "until every user has taken one");
            }
            registration.references++;
            return new SharedPredictor<>(delegate, registration);
        }
    }

    @Override
    public ModelCard card() {
        return delegate.card();
    }

    @Override
    public String executionProvider() {
        return delegate.executionProvider();
    }

    /** On a closed handle: a future failed with a {@link InferenceException.Reason#CLOSED} exception. */
    @Override
    public CompletableFuture<R> submit(DecodedImage image) {
        return closed.get() ? CompletableFuture.failedFuture(closedHandle()) : delegate.submit(image);
    }

    @Override
    public R predict(DecodedImage image) throws InferenceException {
        if (closed.get()) throw closedHandle();
        return delegate.predict(image);
    }

    /** The shared predictor's one warm-up, however many handles ask for it. */
    @Override
    public CompletableFuture<Void> warmUp() {
        return closed.get() ? CompletableFuture.failedFuture(closedHandle()) : delegate.warmUp();
    }

    @Override
    public BatcherMetrics metrics() {
        return delegate.metrics();
    }

    private InferenceException closedHandle() {
        return new InferenceException(InferenceException.Reason.CLOSED,
                "this handle on model " + delegate.card().name() + " is closed");
    }

    /** Releases this handle's reference; the last one closes the predictor (outside the lock: it drains). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || registration == null) {
            return;
        }
        synchronized (LOCK) {
            if (--registration.references > 0) {
                return;
            }
            OPEN.remove(registration.key, registration);
        }
        registration.predictor.close();
    }
}
