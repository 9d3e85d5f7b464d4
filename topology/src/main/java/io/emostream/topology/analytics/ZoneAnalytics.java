package io.emostream.topology.analytics;

import io.emostream.processors.DeadLetters;
import io.emostream.processors.analytics.CameraConfigProcessor;
import io.emostream.processors.analytics.CameraFrame;
import io.emostream.processors.analytics.ReferencePoint;
import io.emostream.processors.analytics.ZoneAnalyticsProcessor;
import io.emostream.processors.analytics.ZoneLineAnalyzer;
import io.emostream.processors.analytics.ZoneOccupancyProcessor;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.schemas.serde.ZoneAnalyticsStateSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Adds zones and lines to a topology: per-frame zone and line analytics from the tracks, and per-zone occupancy
 * from the segmentations, each joined with its camera's configuration.
 *
 * <pre>{@code
 * ZoneAnalytics zones = ZoneAnalytics.addTo(builder, ZoneAnalytics.Settings.from(config, 1_000_000), "emostream-");
 * ZoneAnalytics.Output<FrameAnalytics> analytics = zones.analytics(tracks);
 * ZoneAnalytics.Output<FrameOccupancy> occupancy = zones.occupancy(results.segmentations());
 * // write analytics.results() and occupancy.results() to their topics, and zones.configDeadLetters(),
 * // analytics.deadLetters() and occupancy.deadLetters() to the dead-letter topic
 * }</pre>
 *
 * <p>Configuration while running: operators write {@code CameraConfig} records (key = camera id) to a compacted
 * topic ({@value #CAMERA_CONFIG_TOPIC}, default {@value #DEFAULT_CAMERA_CONFIG_TOPIC}). Each record is checked once,
 * by the instance that owns its partition; valid ones and tombstones are copied to a second compacted topic
 * ({@value #CAMERA_CONFIG_ACCEPTED_TOPIC}, default {@value #DEFAULT_CAMERA_CONFIG_ACCEPTED_TOPIC}), which every
 * instance reads as a global table, and the rest are dead-lettered. So a bad record leaves the camera's last valid
 * configuration in place, even after compaction has removed that one from the operators' topic. (A global table's
 * records cannot be dead-lettered as they are read: every instance reads all of them, and its processors cannot
 * forward.)
 *
 * <p>The cameras config file ({@value #CAMERAS_CONFIG_FILE}) is the fallback: a camera with no record in the table
 * uses its entry in the file. A tombstone on the topic brings a camera back to its file entry; to clear a camera the file
 * configures, publish a record with no zones and no lines.
 */
public final class ZoneAnalytics {
    public static final String CAMERA_CONFIG_TOPIC = "camera.config.topic";
    public static final String CAMERA_CONFIG_ACCEPTED_TOPIC = "camera.config.accepted.topic";
    public static final String CAMERAS_CONFIG_FILE = "cameras.config.file";
    public static final String REFERENCE_POINT = "zones.reference.point";
    public static final String TRACK_IDLE_MS = "zones.track.idle.ms";
    public static final String FRAME_ANALYTICS_TOPIC = "frame.analytics.topic";
    public static final String FRAME_OCCUPANCY_TOPIC = "frame.occupancy.topic";

    public static final String DEFAULT_CAMERA_CONFIG_TOPIC = "camera-config";
    public static final String DEFAULT_CAMERA_CONFIG_ACCEPTED_TOPIC = "camera-config-accepted";
    public static final ReferencePoint DEFAULT_REFERENCE_POINT = ReferencePoint.BOTTOM_CENTER;
    /** Long enough to outlast any tracker's miss limit; only a track whose end was never reported waits this long. */
    public static final long DEFAULT_TRACK_IDLE_MS = 60_000;
    public static final String DEFAULT_FRAME_ANALYTICS_TOPIC = "frame-analytics";
    public static final String DEFAULT_FRAME_OCCUPANCY_TOPIC = "frame-occupancy";

    private static final String GROUP = "Zones and lines";

    /** Adds the keys above, with their defaults and documentation, to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        return def
                .define(CAMERA_CONFIG_TOPIC, Type.STRING, DEFAULT_CAMERA_CONFIG_TOPIC, new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Compacted topic operators write CameraConfig records to (key = camera "
                                + "id) to change a camera's zones and lines while the application runs; a null "
                                + "value removes the camera's record. Invalid records go to the dead-letter topic "
                                + "and the camera keeps its previous configuration.", GROUP, 1,
                        ConfigDef.Width.MEDIUM, CAMERA_CONFIG_TOPIC)
                .define(CAMERA_CONFIG_ACCEPTED_TOPIC, Type.STRING, DEFAULT_CAMERA_CONFIG_ACCEPTED_TOPIC,
                        new ConfigDef.NonEmptyString(), Importance.LOW, "Compacted topic the application copies the "
                                + "valid records of " + CAMERA_CONFIG_TOPIC + " to and reads as a global table on "
                                + "every instance. Written only by the application.", GROUP, 2,
                        ConfigDef.Width.MEDIUM, CAMERA_CONFIG_ACCEPTED_TOPIC)
                .define(CAMERAS_CONFIG_FILE, Type.STRING, "", Importance.MEDIUM, "YAML file of the cameras' zones "
                                + "and lines (cameras: {<id>: {zones: [{id, points}], lines: [{id, a, b}]}}, "
                                + "coordinates as fractions 0..1 of the frame); a camera with no record on "
                                + CAMERA_CONFIG_TOPIC + " uses its entry here. Empty: no file.", GROUP, 3,
                        ConfigDef.Width.LONG, CAMERAS_CONFIG_FILE)
                .define(REFERENCE_POINT, Type.STRING, DEFAULT_REFERENCE_POINT.name(),
                        ConfigDef.CaseInsensitiveValidString.in(names()), Importance.LOW, "The point of a track's "
                                + "box that is tested against zones and lines: BOTTOM_CENTER (where a person or "
                                + "vehicle meets the ground) or CENTER.", GROUP, 4, ConfigDef.Width.SHORT,
                        REFERENCE_POINT)
                .define(TRACK_IDLE_MS, Type.LONG, DEFAULT_TRACK_IDLE_MS, Range.atLeast(1), Importance.LOW,
                        "A track not seen for this long (capture time) is forgotten as if it had ended, leaving "
                                + "its zones with its dwell, so that the analytics state stays bounded when a "
                                + "track's end is never reported.", GROUP, 5, ConfigDef.Width.SHORT, TRACK_IDLE_MS)
                .define(FRAME_ANALYTICS_TOPIC, Type.STRING, DEFAULT_FRAME_ANALYTICS_TOPIC,
                        new ConfigDef.NonEmptyString(), Importance.MEDIUM, "Topic of the FrameAnalytics records "
                                + "(per frame: objects, line crossings, zone counts and exits), key = camera id.",
                        GROUP, 6, ConfigDef.Width.MEDIUM, FRAME_ANALYTICS_TOPIC)
                .define(FRAME_OCCUPANCY_TOPIC, Type.STRING, DEFAULT_FRAME_OCCUPANCY_TOPIC,
                        new ConfigDef.NonEmptyString(), Importance.MEDIUM, "Topic of the FrameOccupancy records "
                                + "(per frame: segmentation class shares overall and per zone), key = camera id.",
                        GROUP, 7, ConfigDef.Width.MEDIUM, FRAME_OCCUPANCY_TOPIC);
    }

    /**
     * @param fileConfigs             the cameras config file's entries by camera id (see {@link CameraConfigFile})
     * @param trackIdle               see {@value #TRACK_IDLE_MS}
     * @param deadLetterMaxValueBytes original values larger than this are left out of dead letters
     */
    public record Settings(String configTopic, String acceptedConfigTopic, Map<String, CameraConfig> fileConfigs,
                           ReferencePoint referencePoint, Duration trackIdle, String analyticsTopic,
                           String occupancyTopic, int deadLetterMaxValueBytes) {
        public Settings {
            Objects.requireNonNull(configTopic, "configTopic");
            Objects.requireNonNull(acceptedConfigTopic, "acceptedConfigTopic");
            Objects.requireNonNull(referencePoint, "referencePoint");
            Objects.requireNonNull(analyticsTopic, "analyticsTopic");
            Objects.requireNonNull(occupancyTopic, "occupancyTopic");
            if (configTopic.equals(acceptedConfigTopic)) {
                throw new IllegalArgumentException(CAMERA_CONFIG_TOPIC + " and " + CAMERA_CONFIG_ACCEPTED_TOPIC
                        + " are both '" + configTopic + "': the application copies valid records from the first "
                        + "to the second, so they must differ");
            }
            if (trackIdle.isNegative() || trackIdle.isZero()) {
                throw new IllegalArgumentException(TRACK_IDLE_MS + " must be positive, got " + trackIdle);
            }
            fileConfigs = Collections.unmodifiableMap(new LinkedHashMap<>(fileConfigs));
        }

        /** The defaults of every key, with no file. */
        public static Settings defaults() {
            return new Settings(DEFAULT_CAMERA_CONFIG_TOPIC, DEFAULT_CAMERA_CONFIG_ACCEPTED_TOPIC, Map.of(),
                    DEFAULT_REFERENCE_POINT, Duration.ofMillis(DEFAULT_TRACK_IDLE_MS), DEFAULT_FRAME_ANALYTICS_TOPIC,
                    DEFAULT_FRAME_OCCUPANCY_TOPIC, 1_000_000);
        }

        /** From a config defined with {@link #define}; loads the cameras config file when one is set. */
        public static Settings from(AbstractConfig config, int deadLetterMaxValueBytes) {
            String file = config.getString(CAMERAS_CONFIG_FILE);
            return new Settings(config.getString(CAMERA_CONFIG_TOPIC), config.getString(CAMERA_CONFIG_ACCEPTED_TOPIC),
                    file.isBlank() ? Map.of() : CameraConfigFile.load(Path.of(file)),
                    ReferencePoint.valueOf(config.getString(REFERENCE_POINT).toUpperCase(Locale.ROOT)),
                    Duration.ofMillis(config.getLong(TRACK_IDLE_MS)), config.getString(FRAME_ANALYTICS_TOPIC),
                    config.getString(FRAME_OCCUPANCY_TOPIC), deadLetterMaxValueBytes);
        }

        public Settings withFileConfigs(Map<String, CameraConfig> configs) {
            return new Settings(configTopic, acceptedConfigTopic, configs, referencePoint, trackIdle,
                    analyticsTopic, occupancyTopic, deadLetterMaxValueBytes);
        }

        /** The camera's configuration when the table has none: its file entry, or null. */
        CameraConfig fileConfig(String cameraId) {
            return cameraId == null ? null : fileConfigs.get(cameraId);
        }
    }

    /** A result stream and the dead letters of the records that could not be turned into results. */
    public record Output<V>(KStream<String, V> results, KStream<String, DeadLetter> deadLetters) { }

    private final StreamsBuilder builder;
    private final Settings settings;
    private final String prefix;
    private final DeadLetters deadLetters;
    private final GlobalKTable<String, CameraConfig> configs;
    private final KStream<String, DeadLetter> configDeadLetters;

    private ZoneAnalytics(StreamsBuilder builder, Settings settings, String prefix) {
        this.builder = builder;
        this.settings = settings;
        this.prefix = prefix;
        this.deadLetters = new DeadLetters(settings.deadLetterMaxValueBytes());
        Output<CameraConfig> checked = split(builder
                .stream(settings.configTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(prefix + "camera-config"))
                .process(() -> new CameraConfigProcessor(deadLetters), Named.as(prefix + "camera-config-check")),
                CameraConfig.class, prefix + "camera-config-");
        checked.results().to(settings.acceptedConfigTopic(), Produced.with(Serdes.String(), AvroSerdes.cameraConfig())
                .withName(prefix + "camera-config-accepted"));
        this.configDeadLetters = checked.deadLetters();
        this.configs = builder.globalTable(settings.acceptedConfigTopic(),
                Consumed.with(Serdes.String(), AvroSerdes.cameraConfig()).withName(prefix + "camera-config-table"),
                Materialized.<String, CameraConfig, KeyValueStore<Bytes, byte[]>>as(configStoreName(prefix)));
    }

    /**
     * Adds the camera configuration: the check of {@link Settings#configTopic()} and the global table of the
     * accepted records. Processor and store names start with {@code prefix}.
     */
    public static ZoneAnalytics addTo(StreamsBuilder builder, Settings settings, String prefix) {
        return new ZoneAnalytics(builder, settings, prefix);
    }

    /**
     * The global key-value store of the accepted camera configurations, by camera id, of the instance added with
     * {@code prefix}: every instance holds all of it, so any instance can query it.
     */
    public static String configStoreName(String prefix) {
        return prefix + "camera-config-store";
    }

    /** Records of the camera configuration topic that were rejected, keyed by their key. */
    public KStream<String, DeadLetter> configDeadLetters() {
        return configDeadLetters;
    }

    /**
     * Adds the zone and line analytics of a stream of tracks keyed by camera id (call once). Its per-camera state
     * is the changelogged, cached store {@code <prefix>zone-tracks}.
     */
    public Output<FrameAnalytics> analytics(KStream<String, FrameTracks> tracks) {
        String store = prefix + "zone-tracks";
        // cached: a camera's state reaches the changelog once per commit, not at every frame
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                new ZoneAnalyticsStateSerde()).withCachingEnabled());
        ZoneLineAnalyzer analyzer = new ZoneLineAnalyzer(settings.referencePoint(), settings.trackIdle().toMillis());
        return split(withConfig(tracks, "zone-analytics")
                        .process(() -> new ZoneAnalyticsProcessor(store, analyzer, deadLetters),
                                Named.as(prefix + "zone-analytics"), store),
                FrameAnalytics.class, prefix + "zone-analytics-");
    }

    /** Adds the occupancy of a stream of segmentations keyed by camera id (call once). */
    public Output<FrameOccupancy> occupancy(KStream<String, FrameSegmentation> segmentations) {
        return split(withConfig(segmentations, "zone-occupancy")
                        .process(() -> new ZoneOccupancyProcessor(deadLetters), Named.as(prefix + "zone-occupancy")),
                FrameOccupancy.class, prefix + "zone-occupancy-");
    }

    private <V> KStream<String, CameraFrame<V>> withConfig(KStream<String, V> frames, String name) {
        return frames.leftJoin(configs, (camera, frame) -> camera,
                (camera, frame, config) -> new CameraFrame<>(frame, config != null ? config
                        : settings.fileConfig(camera)),
                Named.as(prefix + name + "-config"));
    }

    /** Results and dead letters apart; a null value (a tombstone) is a result. */
    private static <V> Output<V> split(KStream<String, SpecificRecord> mixed, Class<V> type, String name) {
        Map<String, KStream<String, SpecificRecord>> branches = mixed.split(Named.as(name))
                .branch((key, value) -> value instanceof DeadLetter, Branched.as("dead-letters"))
                .defaultBranch(Branched.as("results"));
        return new Output<>(branches.get(name + "results").mapValues(type::cast, Named.as(name + "results-typed")),
                branches.get(name + "dead-letters").mapValues(v -> (DeadLetter) v,
                        Named.as(name + "dead-letters-typed")));
    }

    private static String[] names() {
        return Arrays.stream(ReferencePoint.values()).map(Enum::name).toArray(String[]::new);
    }
}
