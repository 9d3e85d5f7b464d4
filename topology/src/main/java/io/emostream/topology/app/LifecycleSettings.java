package io.emostream.topology.app;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.CaseInsensitiveValidString;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * How the application fails, reports its health and stops.
 *
 * @param uncaughtExceptionPolicy what a stream thread's unexpected exception does
 * @param maxRebalance            readiness turns false once a rebalance lasts longer than this
 * @param shutdownTimeout         longest wait for Kafka Streams to close when the application stops
 */
public record LifecycleSettings(StreamThreadExceptionResponse uncaughtExceptionPolicy, Duration maxRebalance,
                                Duration shutdownTimeout) {
    public static final String UNCAUGHT_EXCEPTION_POLICY = "uncaught.exception.policy";
    public static final String HEALTH_REBALANCE_MAX_MS = "health.rebalance.max.ms";
    public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";

    private static final String GROUP = "Health and lifecycle";

    public static LifecycleSettings from(AbstractConfig config) {
        return new LifecycleSettings(
                StreamThreadExceptionResponse.valueOf(config.getString(UNCAUGHT_EXCEPTION_POLICY)
                        .toUpperCase(Locale.ROOT)),
                Duration.ofMillis(config.getLong(HEALTH_REBALANCE_MAX_MS)),
                Duration.ofMillis(config.getLong(SHUTDOWN_TIMEOUT_MS)));
    }

    /** Whether a stream thread's exception under this policy stops this instance for good. */
    public boolean failureIsFatal() {
        return uncaughtExceptionPolicy != StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Adds the keys, with their defaults and documentation, to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        String[] policies = Arrays.stream(StreamThreadExceptionResponse.values()).map(Enum::name)
                .toArray(String[]::new);
        return def
                .define(UNCAUGHT_EXCEPTION_POLICY, Type.STRING, StreamThreadExceptionResponse.SHUTDOWN_CLIENT.name(),
                        CaseInsensitiveValidString.in(policies), Importance.MEDIUM,
                        "What an exception that escapes a stream thread does (the processors turn every frame's "
                                + "failure into a dead letter, so this is for the rest: a bug, a broken broker "
                                + "connection). SHUTDOWN_CLIENT: this instance stops, /health/live turns false and "
                                + "run exits 1, for the orchestrator to restart it; its partitions move to the other "
                                + "instances. REPLACE_THREAD: a new stream thread takes over and the failed record is "
                                + "retried (counted in emostream_stream_thread_failures_total). "
                                + "SHUTDOWN_APPLICATION: every instance of the application id stops.",
                        GROUP, 1, ConfigDef.Width.MEDIUM, UNCAUGHT_EXCEPTION_POLICY)
                .define(HEALTH_REBALANCE_MAX_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
                        "/health/ready turns false once a rebalance has lasted this long, and true again once Kafka "
                                + "Streams runs; shorter rebalances keep the instance ready (0: every rebalance).",
                        GROUP, 2, ConfigDef.Width.SHORT, HEALTH_REBALANCE_MAX_MS)
                .define(SHUTDOWN_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.MEDIUM,
                        "Longest wait for Kafka Streams to close (finishing the frames in hand and committing "
                                + "them) when run stops on SIGTERM or Ctrl-C; the models close after it, within "
                                + "inference.timeout.ms. run exits 0 when Kafka Streams closed in time, else 1. Give "
                                + "Kubernetes' terminationGracePeriodSeconds more than the two together.",
                        GROUP, 3, ConfigDef.Width.SHORT, SHUTDOWN_TIMEOUT_MS);
    }
}
