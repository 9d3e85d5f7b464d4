package io.emostream.topology.ops;

import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Liveness and readiness of one Kafka Streams instance, from its state changes and fatal errors as they are
 * reported.
 * <ul>
 *   <li><b>live</b> until a fatal error: a stream thread's exception that stops the client, or the ERROR state.
 *       A dead instance should be restarted.</li>
 *   <li><b>ready</b> while live, the models are loaded and warmed up, and Kafka Streams is RUNNING, or REBALANCING for at most
 *       {@code maxRebalance} after it has run: a brief rebalance does not take the instance out of service, a long
 *       one does. Not ready before the first RUNNING, nor once shutting down.</li>
 * </ul>
 */
public final class StreamsHealth {
    private final Duration maxRebalance;
    private final LongSupplier nanoTime;
    private KafkaStreams.State state = KafkaStreams.State.CREATED;
    private boolean hasRun;
    private long rebalancingSince;
    private String fatal;
    private boolean modelsLoaded = true;
    private boolean warmingUp;

    /** @param nanoTime the clock rebalances are timed with ({@code System::nanoTime}) */
    public StreamsHealth(Duration maxRebalance, LongSupplier nanoTime) {
        this.maxRebalance = maxRebalance;
        this.nanoTime = nanoTime;
    }

    /** For Kafka Streams' state listener. */
    public synchronized void stateChanged(KafkaStreams.State now) {
        if (now == KafkaStreams.State.REBALANCING && state != KafkaStreams.State.REBALANCING) {
            rebalancingSince = nanoTime.getAsLong();
        }
        if (now == KafkaStreams.State.RUNNING) hasRun = true;
        state = now;
    }

    /** A failure the instance does not recover from; {@code what} says what failed. */
    public synchronized void fatalError(String what) {
        if (fatal == null) fatal = what;
    }

    /** The models' warm-up has started; the instance is not ready until {@link #warmedUp()}. */
    public synchronized void warmingUp() {
        warmingUp = true;
    }

    public synchronized void warmedUp() {
        warmingUp = false;
    }

    /** The models were released: the instance can no longer answer frames. */
    public synchronized void modelsClosed() {
        modelsLoaded = false;
    }

    public synchronized HealthStatus live() {
        if (fatal != null) return HealthStatus.down("fatal error: " + fatal);
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
            return HealthStatus.down("Kafka Streams is " + state);
        }
        return HealthStatus.up("Kafka Streams is " + state);
    }

    public synchronized HealthStatus ready() {
        HealthStatus live = live();
        if (!live.ok()) return live;
        if (!modelsLoaded) return HealthStatus.down("the models are closed");
        if (warmingUp) return HealthStatus.down("warming up the models");
        if (state == KafkaStreams.State.RUNNING) return HealthStatus.up("Kafka Streams is RUNNING, models loaded");
        if (state != KafkaStreams.State.REBALANCING) return HealthStatus.down("Kafka Streams is " + state);
        if (!hasRun) return HealthStatus.down("starting: Kafka Streams is REBALANCING and has not run yet");
        long ms = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - rebalancingSince);
        String rebalancing = "Kafka Streams has been REBALANCING for " + ms + " ms";
        // at the limit already counts as too long, so a limit of 0 makes every rebalance not ready
        return ms >= maxRebalance.toMillis()
                ? HealthStatus.down(rebalancing + ", at least " + maxRebalance.toMillis() + " ms")
                : HealthStatus.up(rebalancing + ", within " + maxRebalance.toMillis() + " ms");
    }
}
