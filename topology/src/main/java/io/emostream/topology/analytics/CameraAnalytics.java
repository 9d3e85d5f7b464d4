package io.emostream.topology.analytics;

import io.emostream.processors.DeadLetterMeter;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Camera analytics on the detection and segmentation streams, all keyed by camera id: tracks
 * ({@link Tracking}), zone and line analytics and occupancy ({@link ZoneAnalytics}), windowed statistics
 * ({@link CameraStatsWindows}) and the per-camera status the query API reads ({@link CameraStatusBoard}).
 *
 * <pre>{@code
 * CameraAnalytics.Results analytics = CameraAnalytics.addTo(builder, results.detections(),
 *         results.segmentations(), config, deadLetterMaxValueBytes, emo.registry());
 * analytics.to(CameraAnalytics.topics(config), deadLetterTopic);
 * }</pre>
 */
public final class CameraAnalytics {
    public static final String ENABLED = "analytics.enabled";
    /** The keys naming the analytics' topics, in the order of {@link Topics}. */
    public static final List<String> TOPIC_KEYS = List.of(Tracking.TRACKS_TOPIC, ZoneAnalytics.FRAME_ANALYTICS_TOPIC,
            ZoneAnalytics.FRAME_OCCUPANCY_TOPIC, CameraStatsWindows.CAMERA_STATS_TOPIC,
            ZoneAnalytics.CAMERA_CONFIG_TOPIC, ZoneAnalytics.CAMERA_CONFIG_ACCEPTED_TOPIC);
    private static final String TRACKING_NAME = "emostream-tracking";
    private static final String ZONES_PREFIX = "emostream-";
    /** The {@code pipeline} tag of the analytics' dead letters in {@code emostream_dead_letters_total}. */
    public static final String METRICS_PIPELINE = "emostream-analytics";
    /** The global store of the accepted camera configurations, by camera id, queryable on every instance. */
    public static final String CAMERA_CONFIG_STORE = ZoneAnalytics.configStoreName(ZONES_PREFIX);

    private CameraAnalytics() { }

    /** The topics the analytics read and write; the two camera-config topics must be compacted. */
    public record Topics(String tracks, String frameAnalytics, String frameOccupancy, String cameraStats,
                         String cameraConfig, String cameraConfigAccepted) {
        /** Every topic, the compacted ones included. */
        public List<String> all() {
            return List.of(tracks, frameAnalytics, frameOccupancy, cameraStats, cameraConfig, cameraConfigAccepted);
        }

        public List<String> compacted() {
            return List.of(cameraConfig, cameraConfigAccepted);
        }

        /** The settings that name these topics: the inverse of {@link CameraAnalytics#topics}. */
        public Map<String, String> settings() {
            return Map.of(Tracking.TRACKS_TOPIC, tracks, ZoneAnalytics.FRAME_ANALYTICS_TOPIC, frameAnalytics,
                    ZoneAnalytics.FRAME_OCCUPANCY_TOPIC, frameOccupancy, CameraStatsWindows.CAMERA_STATS_TOPIC,
                    cameraStats, ZoneAnalytics.CAMERA_CONFIG_TOPIC, cameraConfig,
                    ZoneAnalytics.CAMERA_CONFIG_ACCEPTED_TOPIC, cameraConfigAccepted);
        }
    }

    /** The analytics streams and the dead letters of records they could not use. */
    public record Results(KStream<String, FrameTracks> tracks, KStream<String, FrameAnalytics> analytics,
                         KStream<String, FrameOccupancy> occupancy, KStream<String, CameraStats> stats,
                         KStream<String, DeadLetter> deadLetters) {
        /** Writes each stream to its topic with the project's Avro serdes. */
        public void to(Topics topics, String deadLetterTopic) {
            tracks.to(topics.tracks(), Produced.with(Serdes.String(), AvroSerdes.frameTracks()));
            analytics.to(topics.frameAnalytics(), Produced.with(Serdes.String(), AvroSerdes.frameAnalytics()));
            occupancy.to(topics.frameOccupancy(), Produced.with(Serdes.String(), AvroSerdes.frameOccupancy()));
            stats.to(topics.cameraStats(), Produced.with(Serdes.String(), AvroSerdes.cameraStats()));
            deadLetters.to(deadLetterTopic, Produced.with(Serdes.String(), AvroSerdes.deadLetter()));
        }
    }

    /** The analytics keys: the switch and those of each part, with their defaults and documentation. */
    public static ConfigDef define(ConfigDef def) {
        def.define(ENABLED, Type.BOOLEAN, true, Importance.HIGH, "Whether the camera analytics run: tracking, zones "
                + "and lines, occupancy, windowed statistics and the per-camera status behind the query API. They "
                + "need detection.enabled.", "Camera analytics", 1, ConfigDef.Width.SHORT, ENABLED);
        return CameraStatusBoard.define(CameraStatsWindows.define(ZoneAnalytics.define(Tracking.define(def))));
    }

    public static Topics topics(AbstractConfig config) {
        List<String> names = TOPIC_KEYS.stream().map(config::getString).toList();
        return new Topics(names.get(0), names.get(1), names.get(2), names.get(3), names.get(4), names.get(5));
    }

    /**
     * Adds every part after {@code detections} and {@code segmentations} (an empty stream when segmentation is off).
     * Their dead letters are counted in {@code registry} (pipeline {@value #METRICS_PIPELINE}, by stage and reason).
     *
     * @throws io.emostream.processors.analytics.InvalidCameraConfigException when the cameras file is invalid
     */
    public static Results addTo(StreamsBuilder builder, KStream<String, FrameDetections> detections,
                                KStream<String, FrameSegmentation> segmentations, AbstractConfig config,
                                int deadLetterMaxValueBytes, MeterRegistry registry) {
        Objects.requireNonNull(detections, "detections must not be null");
        Objects.requireNonNull(segmentations, "segmentations must not be null");
        DeadLetterMeter deadLetterMeter = new DeadLetterMeter(
                Objects.requireNonNull(registry, "registry must not be null"), METRICS_PIPELINE);
        KStream<String, FrameTracks> tracks = Tracking.addTo(detections, Tracking.settings(config), TRACKING_NAME);
        ZoneAnalytics zones = ZoneAnalytics.addTo(builder,
                ZoneAnalytics.Settings.from(config, deadLetterMaxValueBytes), ZONES_PREFIX);
        ZoneAnalytics.Output<FrameAnalytics> analytics = zones.analytics(tracks);
        ZoneAnalytics.Output<FrameOccupancy> occupancy = zones.occupancy(segmentations);
        KStream<String, CameraStats> stats = CameraStatsWindows.addTo(analytics.results(), occupancy.results(),
                CameraStatsWindows.Settings.from(config));
        CameraStatusBoard.addTo(builder, tracks, analytics.results(), CameraStatusBoard.Settings.from(config));
        KStream<String, DeadLetter> deadLetters = zones.configDeadLetters()
                .merge(analytics.deadLetters(), Named.as(ZONES_PREFIX + "analytics-dead-letters"))
                .merge(occupancy.deadLetters(), Named.as(ZONES_PREFIX + "occupancy-dead-letters"))
                .peek((camera, letter) -> deadLetterMeter.count(letter), Named.as(ZONES_PREFIX + "count-dead-letters"));
        return new Results(tracks, analytics.results(), occupancy.results(), stats, deadLetters);
    }
}
