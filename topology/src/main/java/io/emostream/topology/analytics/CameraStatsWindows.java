package io.emostream.topology.analytics;

import io.emostream.processors.stats.CaptureTimeStamper;
import io.emostream.processors.stats.WindowStats;
import io.emostream.processors.stats.WindowStatsSerde;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.CogroupedKStream;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.time.Instant;

/**
 * Adds per-camera statistics over tumbling windows of capture time: {@link FrameAnalytics} (frames, objects per
 * class, unique tracks, line crossings, zones) and {@link FrameOccupancy} (segmentation class shares) are cogrouped
 * into one {@link WindowStats} per camera and window, kept in the window store {@link #WINDOW_STORE} (changelogged,
 * retained as configured, readable through interactive queries), and emitted as {@link CameraStats} once the window
 * closes (its end plus the grace has passed in stream time), and also as early updates when asked.
 * <p>
 * Records are re-timestamped with their capture time first, so a window holds the frames taken in it whatever their
 * ingest or processing time. Stream time is per partition: a camera whose clock lags the others of its partition by
 * more than the grace loses its frames as late (Kafka Streams counts them in its dropped-records metric).
 * <p>
 * The output key is {@link #statsKey}: the camera id and the window start, e.g. {@code cam-1@2026-11-30T12:00:00Z}.
 */
public final class CameraStatsWindows {
    public static final String CAMERA_STATS_TOPIC = "camera.stats.topic";
    public static final String WINDOW_SIZE_MS = "camera.stats.window.size.ms";
    public static final String GRACE_MS = "camera.stats.grace.ms";
    public static final String RETENTION_MS = "camera.stats.retention.ms";
    public static final String EMIT_UPDATES = "camera.stats.emit.updates";

    /** The window store of {@link WindowStats}, keyed by camera id. */
    public static final String WINDOW_STORE = "camera-stats-windows";

    private static final String NAME = "camera-stats";
    private static final String GROUP = "Camera statistics";

    /**
     * @param windowSize  length of the tumbling windows of capture time (default 10 s)
     * @param grace       how long after its end a window still accepts late frames (default 2 s); final results
     *                    are emitted once this has passed
     * @param retention   how long windows stay in the store for queries (default 24 h); at least size + grace
     * @param emitUpdates also emit a record (final = false) each time an open window changes (default false)
     */
    public record Settings(Duration windowSize, Duration grace, Duration retention, boolean emitUpdates) {
        public Settings {
            if (windowSize.isNegative() || windowSize.isZero()) {
                throw new IllegalArgumentException(WINDOW_SIZE_MS + " must be > 0, got " + windowSize.toMillis());
            }
            if (grace.isNegative()) throw new IllegalArgumentException(GRACE_MS + " must be >= 0, got " + grace.toMillis());
            if (retention.compareTo(windowSize.plus(grace)) < 0) {
                throw new IllegalArgumentException(RETENTION_MS + " (" + retention.toMillis() + ") must be at least "
                        + WINDOW_SIZE_MS + " + " + GRACE_MS + " (" + windowSize.plus(grace).toMillis()
                        + "): a window is kept at least until it closes");
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofHours(24), false);
        }

        /** From a configuration whose definition went through {@link CameraStatsWindows#define}. */
        public static Settings from(AbstractConfig config) {
            try {
                return new Settings(Duration.ofMillis(config.getLong(WINDOW_SIZE_MS)),
                        Duration.ofMillis(config.getLong(GRACE_MS)), Duration.ofMillis(config.getLong(RETENTION_MS)),
                        config.getBoolean(EMIT_UPDATES));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
    }

    private CameraStatsWindows() { }

    /** Adds this builder's keys, with their defaults and documentation, to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        Settings d = Settings.defaults();
        return def
                .define(CAMERA_STATS_TOPIC, Type.STRING, "camera-stats", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Topic of the CameraStats records, key = camera id@window start "
                                + "(ISO-8601), e.g. cam-1@2026-11-30T12:00:00Z.", GROUP, 1, ConfigDef.Width.MEDIUM,
                        CAMERA_STATS_TOPIC)
                .define(WINDOW_SIZE_MS, Type.LONG, d.windowSize().toMillis(), Range.atLeast(1), Importance.MEDIUM,
                        "Length of the per-camera tumbling windows, in milliseconds of capture time.", GROUP, 2,
                        ConfigDef.Width.SHORT, WINDOW_SIZE_MS)
                .define(GRACE_MS, Type.LONG, d.grace().toMillis(), Range.atLeast(0), Importance.MEDIUM,
                        "How long after its end (in stream time, i.e. the newest capture time seen on the "
                                + "partition) a window still takes late frames; frames later than that are dropped "
                                + "and counted in Kafka Streams' dropped-records metric. Final results are emitted "
                                + "once it has passed.", GROUP, 3, ConfigDef.Width.SHORT, GRACE_MS)
                .define(RETENTION_MS, Type.LONG, d.retention().toMillis(), Range.atLeast(1), Importance.LOW,
                        "How long windows stay in the state store (and so in the query API); bounds the store. "
                                + "At least the window size plus the grace.", GROUP, 4, ConfigDef.Width.SHORT,
                        RETENTION_MS)
                .define(EMIT_UPDATES, Type.BOOLEAN, d.emitUpdates(), Importance.LOW,
                        "Also emit CameraStats records with final=false while a window is open, as it changes "
                                + "(at most once per commit interval with record caching on); the final record "
                                + "(final=true) follows when the window closes either way.", GROUP, 5,
                        ConfigDef.Width.SHORT, EMIT_UPDATES);
    }

    /**
     * Adds the windows over frame analytics and segmentation occupancy (both keyed by camera id); returns the
     * {@code CameraStats} records to write to the camera-stats topic (value serde {@code AvroSerdes.cameraStats()}).
     */
    public static KStream<String, CameraStats> addTo(KStream<String, FrameAnalytics> analytics,
                                                     KStream<String, FrameOccupancy> occupancy, Settings settings) {
        CogroupedKStream<String, WindowStats> grouped = cogroup(analytics).cogroup(
                occupancy.processValues(() -> new CaptureTimeStamper<>(FrameOccupancy::getCaptureTimestamp),
                                Named.as(NAME + "-occupancy-capture-time"))
                        .groupByKey(Grouped.with(NAME + "-occupancy", Serdes.String(), AvroSerdes.frameOccupancy())),
                (camera, frame, stats) -> stats.add(frame));
        return windows(grouped, settings);
    }

    /** As above without segmentation (segmentation off): the records' segmentation list stays empty. */
    public static KStream<String, CameraStats> addTo(KStream<String, FrameAnalytics> analytics, Settings settings) {
        return windows(cogroup(analytics), settings);
    }

    /** The output key of one camera window. */
    public static String statsKey(String cameraId, Instant windowStart) {
        return cameraId + "@" + windowStart;
    }

    private static CogroupedKStream<String, WindowStats> cogroup(KStream<String, FrameAnalytics> analytics) {
        return analytics
                .processValues(() -> new CaptureTimeStamper<>(FrameAnalytics::getCaptureTimestamp),
                        Named.as(NAME + "-analytics-capture-time"))
                .groupByKey(Grouped.with(NAME + "-analytics", Serdes.String(), AvroSerdes.frameAnalytics()))
                .cogroup((camera, frame, stats) -> stats.add(frame));
    }

    private static KStream<String, CameraStats> windows(CogroupedKStream<String, WindowStats> grouped,
                                                        Settings settings) {
        KTable<Windowed<String>, WindowStats> windows = grouped
                .windowedBy(TimeWindows.ofSizeAndGrace(settings.windowSize(), settings.grace()))
                .aggregate(WindowStats::new, Named.as(NAME + "-aggregate"),
                        Materialized.<String, WindowStats, WindowStore<Bytes, byte[]>>as(WINDOW_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(new WindowStatsSerde())
                                .withRetention(settings.retention()));
        KStream<String, CameraStats> finals = windows
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName(NAME + "-until-window-closes"))
                .toStream(Named.as(NAME + "-closed"))
                .map((window, stats) -> record(window, stats, true), Named.as(NAME + "-final"));
        if (!settings.emitUpdates()) return finals;
        return windows.toStream(Named.as(NAME + "-changed"))
                .map((window, stats) -> record(window, stats, false), Named.as(NAME + "-update"))
                .merge(finals, Named.as(NAME + "-updates-and-finals"));
    }

    private static KeyValue<String, CameraStats> record(Windowed<String> window, WindowStats stats, boolean isFinal) {
        Instant start = window.window().startTime();
        return KeyValue.pair(statsKey(window.key(), start),
                stats.toCameraStats(window.key(), start, window.window().endTime(), isFinal));
    }
}
