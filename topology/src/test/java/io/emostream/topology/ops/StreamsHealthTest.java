package io.emostream.topology.ops;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Liveness and readiness from Kafka Streams' state changes, on a clock the test moves. */
class StreamsHealthTest {
    private long nanos;
    private final StreamsHealth health = new StreamsHealth(Duration.ofSeconds(30), () -> nanos);

    private void elapse(long seconds) {
        nanos += TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void notReadyUntilKafkaStreamsFirstRunsThoughLiveThroughout() {
        assertTrue(health.live().ok());
        assertFalse(health.ready().ok());
        health.stateChanged(State.REBALANCING);
        elapse(1);
        assertFalse(health.ready().ok(), "the first assignment is not a rebalance to ride out");
        assertTrue(health.ready().detail().contains("has not run yet"), health.ready().detail());
        health.stateChanged(State.RUNNING);
        assertTrue(health.ready().ok());
        assertTrue(health.live().ok());
    }

    @Test
    void aRebalanceKeepsTheInstanceReadyUntilItReachesTheLimitAndRunningAgainMakesItReady() {
        health.stateChanged(State.REBALANCING);
        health.stateChanged(State.RUNNING);
        elapse(100);
        health.stateChanged(State.REBALANCING);
        elapse(29);
        assertTrue(health.ready().ok(), health.ready().detail());
        elapse(1);
        assertFalse(health.ready().ok());
        assertTrue(health.ready().detail().contains("REBALANCING for 30000 ms"), health.ready().detail());
        assertTrue(health.live().ok(), "a long rebalance is not a reason to restart");
        health.stateChanged(State.RUNNING);
        assertTrue(health.ready().ok());
        health.stateChanged(State.REBALANCING);
        assertTrue(health.ready().ok(), "the next rebalance is timed from its own start");
    }

    @Test
    void aFatalErrorMakesTheInstanceNeitherLiveNorReadyWhateverTheStateSaysAfterwards() {
        health.stateChanged(State.RUNNING);
        health.fatalError("java.lang.IllegalStateException: broken");
        assertFalse(health.live().ok());
        assertTrue(health.live().detail().contains("broken"), health.live().detail());
        assertFalse(health.ready().ok());
        health.stateChanged(State.PENDING_SHUTDOWN);
        health.stateChanged(State.NOT_RUNNING);
        assertFalse(health.live().ok());
    }

    @Test
    void theErrorStateIsNotLiveAndAShutdownIsNotReady() {
        health.stateChanged(State.RUNNING);
        health.stateChanged(State.PENDING_SHUTDOWN);
        assertTrue(health.live().ok());
        assertFalse(health.ready().ok());
        health.stateChanged(State.ERROR);
        assertFalse(health.live().ok());
    }

    @Test
    void closedModelsMakeTheInstanceNotReady() {
        health.stateChanged(State.RUNNING);
        health.modelsClosed();
        assertFalse(health.ready().ok());
        assertTrue(health.ready().detail().contains("models"), health.ready().detail());
    }

    @Test
    void notReadyWhileTheModelsWarmUpEvenWhenKafkaStreamsRuns() {
        health.warmingUp();
        health.stateChanged(State.RUNNING);
        assertFalse(health.ready().ok());
        assertTrue(health.ready().detail().contains("warming up the models"), health.ready().detail());
        assertTrue(health.live().ok(), "warming up is no reason to restart");
        health.warmedUp();
        assertTrue(health.ready().ok(), health.ready().detail());
    }
}
