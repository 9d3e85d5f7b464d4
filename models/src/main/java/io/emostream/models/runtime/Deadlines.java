package io.emostream.models.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Fails a future with an {@link InferenceException} when its deadline passes; one timer thread per JVM. */
final class Deadlines {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "emostream-deadlines");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private Deadlines() { }

    /** Arms the deadline on {@code future} (runs {@code onTimeout} if the deadline completed it) and returns it. */
    static <T> CompletableFuture<T> bound(CompletableFuture<T> future, long timeoutMs, String what,
                                          Runnable onTimeout) {
        ScheduledFuture<?> timer = TIMER.schedule(() -> {
            if (future.completeExceptionally(new InferenceException(InferenceException.Reason.TIMEOUT,
                    what + " timed out: no result within " + timeoutMs + " ms (request timeout)"))) {
                onTimeout.run();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        future.whenComplete((r, e) -> timer.cancel(false));
        return future;
    }
}
