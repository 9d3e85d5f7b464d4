package io.emostream.topology.analytics;

import io.emostream.processors.stats.CameraStatus;
import io.emostream.processors.stats.CameraStatusProcessor;
import io.emostream.processors.stats.CameraStatusSerde;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameTracks;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;

/**
 * Adds the camera status store {@link #STATUS_STORE}: per camera id, the last frame's capture time, the frame rate
 * over a recent span, objects now and the latest {@link FrameTracks} and {@link FrameAnalytics} (see
 * {@link CameraStatus}). A persistent, changelogged key-value store with caching, so it survives failover and the
 * changelog gets at most one write per camera per commit; it holds one entry per camera ever seen.
 */
public final class CameraStatusBoard {
    public static final String RATE_SPAN_MS = "camera.status.rate.span.ms";

    /** The key-value store of {@link CameraStatus}, keyed by camera id. */
    public static final String STATUS_STORE = "camera-status";

    private static final String NAME = "camera-status";

    /** @param rateSpan span of recent capture time the frame rate is measured over (default 5 s) */
    public record Settings(Duration rateSpan) {
        public Settings {
            if (rateSpan.isNegative() || rateSpan.isZero()) {
                throw new IllegalArgumentException(RATE_SPAN_MS + " must be > 0, got " + rateSpan.toMillis());
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5));
        }

        /** From a configuration whose definition went through {@link CameraStatusBoard#define}. */
        public static Settings from(AbstractConfig config) {
            return new Settings(Duration.ofMillis(config.getLong(RATE_SPAN_MS)));
        }
    }

    private CameraStatusBoard() { }

    /** Adds this builder's keys, with their defaults and documentation, to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        return def.define(RATE_SPAN_MS, Type.LONG, Settings.defaults().rateSpan().toMillis(), Range.atLeast(1),
                Importance.LOW, "Span of recent capture time over which a camera's frames per second are measured "
                        + "for the query API.", "Camera statistics", 6, ConfigDef.Width.SHORT, RATE_SPAN_MS);
    }

    /** Adds the store and the processors that keep it, fed by the tracks and analytics (keyed by camera id). */
    public static void addTo(StreamsBuilder builder, KStream<String, FrameTracks> tracks,
                             KStream<String, FrameAnalytics> analytics, Settings settings) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATUS_STORE),
                Serdes.String(), new CameraStatusSerde()).withCachingEnabled());
        Duration span = settings.rateSpan();
        tracks.processValues(() -> new CameraStatusProcessor<FrameTracks>(STATUS_STORE,
                (status, frame) -> status.record(frame, span)), Named.as(NAME + "-tracks"), STATUS_STORE);
        analytics.processValues(() -> new CameraStatusProcessor<FrameAnalytics>(STATUS_STORE,
                (status, frame) -> status.record(frame, span)), Named.as(NAME + "-analytics"), STATUS_STORE);
    }
}
