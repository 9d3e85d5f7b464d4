package io.emostream.topology.analytics;

import io.emostream.processors.tracking.TrackerSettings;
import io.emostream.processors.tracking.TrackingProcessor;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameTracks;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Adds per-camera object tracking to a topology: {@code FrameDetections} in, {@code FrameTracks} out, both keyed by
 * camera id.
 *
 * <pre>{@code
 * KStream<String, FrameTracks> tracks = Tracking.addTo(results.detections(), Tracking.settings(config), "tracking");
 * tracks.to(config.getString(Tracking.TRACKS_TOPIC), Produced.with(Serdes.String(), AvroSerdes.frameTracks()));
 * }</pre>
 *
 * The trackers live in the persistent store {@code <name>-state}, logged to the changelog topic
 * {@code <application.id>-<name>-state-changelog}. The input must be partitioned by camera id, as emostream's
 * detection stream is; nothing is repartitioned here.
 */
public final class Tracking {
    public static final String TRACKS_TOPIC = "tracks.topic";
    public static final String HIGH_SCORE = "tracking.score.high";
    public static final String LOW_SCORE = "tracking.score.low";
    public static final String HIGH_MATCH_IOU = "tracking.match.iou.high";
    public static final String LOW_MATCH_IOU = "tracking.match.iou.low";
    public static final String CONFIRM_HITS = "tracking.confirm.hits";
    public static final String MAX_MISSES = "tracking.max.misses";
    public static final String MAX_LOST_MS = "tracking.max.lost.ms";
    public static final String MAX_TRACKS = "tracking.max.tracks";
    public static final String MEASUREMENT_NOISE = "tracking.noise.measurement";
    public static final String ACCELERATION_NOISE = "tracking.noise.acceleration";
    public static final String INITIAL_VELOCITY_NOISE = "tracking.noise.initial.velocity";

    private static final String GROUP = "Tracking";
    private static final TrackerSettings DEFAULTS = TrackerSettings.defaults();

    private Tracking() { }

    /**
     * Adds the tracking processor, named {@code name}, and its state store after {@code detections}.
     *
     * @return the tracks, one {@code FrameTracks} per input record
     */
    public static KStream<String, FrameTracks> addTo(KStream<String, FrameDetections> detections,
                                                     TrackerSettings settings, String name) {
        return detections.process(TrackingProcessor.supplier(settings, storeName(name)), Named.as(name));
    }

    /** The trackers' state store of the processor named {@code name}. */
    public static String storeName(String name) {
        return name + "-state";
    }

    /** The tracking keys, with their defaults ({@link TrackerSettings#defaults()}) and documentation. */
    public static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
                .define(TRACKS_TOPIC, Type.STRING, "tracks", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Topic the FrameTracks records are written to, key = camera id.", GROUP, ++order,
                        Width.MEDIUM, TRACKS_TOPIC)
                .define(HIGH_SCORE, Type.DOUBLE, DEFAULTS.highScore(), Range.between(0, 1), Importance.MEDIUM,
                        "Detections scoring at least this are matched first, against every live track, and start "
                                + "a new track when unmatched.", GROUP, ++order, Width.SHORT, HIGH_SCORE)
                .define(LOW_SCORE, Type.DOUBLE, DEFAULTS.lowScore(), Range.between(0, 1), Importance.MEDIUM,
                        "Detections scoring at least this but under " + HIGH_SCORE + " are matched second, "
                                + "against the tracks left unmatched (an object partly hidden scores lower), and "
                                + "start no track. Lower scores are ignored.", GROUP, ++order, Width.SHORT, LOW_SCORE)
                .define(HIGH_MATCH_IOU, Type.DOUBLE, DEFAULTS.highMatchIou(), Range.between(0, 1), Importance.LOW,
                        "Least IoU between a track's predicted box and a high-score detection for them to match.",
                        GROUP, ++order, Width.SHORT, HIGH_MATCH_IOU)
                .define(LOW_MATCH_IOU, Type.DOUBLE, DEFAULTS.lowMatchIou(), Range.between(0, 1), Importance.LOW,
                        "Least IoU for a low-score detection to match a track.", GROUP, ++order, Width.SHORT,
                        LOW_MATCH_IOU)
                .define(CONFIRM_HITS, Type.INT, DEFAULTS.confirmHits(), Range.atLeast(1), Importance.MEDIUM,
                        "Matches in a row, from its first detection, after which a track is confirmed and written "
                                + "out; a track not yet confirmed is dropped at its first miss.", GROUP, ++order,
                        Width.SHORT, CONFIRM_HITS)
                .define(MAX_MISSES, Type.INT, DEFAULTS.maxMisses(), Range.atLeast(1), Importance.MEDIUM,
                        "A confirmed track ends after this many frames in a row without a match; it is listed in "
                                + "endedTrackIds and removed from the state.", GROUP, ++order, Width.SHORT,
                        MAX_MISSES)
                .define(MAX_LOST_MS, Type.LONG, DEFAULTS.maxLostMs(), Range.atLeast(1), Importance.MEDIUM,
                        "A confirmed track also ends when its last match lies more than this much capture time "
                                + "before the frame, however few frames came between (frames skipped as too old "
                                + "or dead-lettered). Shorter gaps are bridged by prediction.", GROUP, ++order,
                        Width.SHORT, MAX_LOST_MS)
                .define(MAX_TRACKS, Type.INT, DEFAULTS.maxTracks(), Range.atLeast(1), Importance.LOW,
                        "Most live tracks per camera; unmatched detections start no track beyond it. Bounds the "
                                + "state store.", GROUP, ++order, Width.SHORT, MAX_TRACKS)
                .define(MEASUREMENT_NOISE, Type.DOUBLE, DEFAULTS.measurementNoise(), Range.atLeast(1e-6),
                        Importance.LOW, "Kalman filter: standard deviation of a detected box coordinate, as a "
                                + "fraction of the box size ((width + height) / 2).", GROUP, ++order, Width.SHORT,
                        MEASUREMENT_NOISE)
                .define(ACCELERATION_NOISE, Type.DOUBLE, DEFAULTS.accelerationNoise(), Range.atLeast(1e-6),
                        Importance.LOW, "Kalman filter: standard deviation of the white-noise acceleration of a box "
                                + "coordinate, box sizes per second squared; higher follows sudden turns better and "
                                + "predicts less far.", GROUP, ++order, Width.SHORT, ACCELERATION_NOISE)
                .define(INITIAL_VELOCITY_NOISE, Type.DOUBLE, DEFAULTS.initialVelocityNoise(), Range.atLeast(1e-6),
                        Importance.LOW, "Kalman filter: standard deviation of a new track's unknown velocity, box "
                                + "sizes per second.", GROUP, ++order, Width.SHORT, INITIAL_VELOCITY_NOISE);
    }

    /** The tracker settings of a configuration defined with {@link #define}. */
    public static TrackerSettings settings(AbstractConfig config) {
        double high = config.getDouble(HIGH_SCORE);
        double low = config.getDouble(LOW_SCORE);
        if (low > high) {
            throw new ConfigException(LOW_SCORE + " (" + low + ") must not exceed " + HIGH_SCORE + " (" + high
                    + "): lower " + LOW_SCORE + " or raise " + HIGH_SCORE);
        }
        return new TrackerSettings(high, low, config.getDouble(HIGH_MATCH_IOU), config.getDouble(LOW_MATCH_IOU),
                config.getInt(CONFIRM_HITS), config.getInt(MAX_MISSES), config.getLong(MAX_LOST_MS),
                config.getInt(MAX_TRACKS), config.getDouble(MEASUREMENT_NOISE), config.getDouble(ACCELERATION_NOISE),
                config.getDouble(INITIAL_VELOCITY_NOISE));
    }
}
