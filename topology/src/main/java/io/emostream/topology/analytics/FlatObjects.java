package io.emostream.topology.analytics;

import io.emostream.processors.objects.FlatObjectsProcessor;
import io.emostream.schemas.DetectedObject;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The flat {@code objects} stream, for tables and sinks: one {@link DetectedObject} per object of each frame, keyed
 * {@code <cameraId>/<sequence>/<objectIndex>} so that a JDBC sink can upsert. Made from the tracks when tracking
 * runs (the objects then carry their track ids), else from the detections.
 *
 * <pre>{@code
 * FlatObjects.to(FlatObjects.fromTracks(analytics.tracks()), config.getString(FlatObjects.TOPIC));
 * }</pre>
 */
public final class FlatObjects {
    public static final String ENABLED = "objects.enabled";
    public static final String TOPIC = "objects.topic";
    private static final String GROUP = "Flat objects";
    private static final String NAME = "emostream-objects";

    private FlatObjects() { }

    /** Adds the switch and the topic, with their defaults and documentation, to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        return def
                .define(ENABLED, Type.BOOLEAN, false, Importance.MEDIUM, "Whether the run application also writes "
                        + "the flat objects stream for tables and sinks: one DetectedObject record per object of each "
                        + "frame (the confirmed tracks, with their ids, when analytics.enabled; else the detections), "
                        + "key = camera id/sequence/object index. Needs detection.enabled.", GROUP, 1,
                        ConfigDef.Width.SHORT, ENABLED)
                .define(TOPIC, Type.STRING, "objects", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Topic of the DetectedObject records, key = <camera id>/<sequence>/<object index>.", GROUP, 2,
                        ConfigDef.Width.MEDIUM, TOPIC);
    }

    /** One object per detection, without track ids. */
    public static KStream<String, DetectedObject> fromDetections(KStream<String, FrameDetections> detections) {
        return detections.process(FlatObjectsProcessor.fromDetections(), Named.as(NAME));
    }

    /** One object per confirmed track matched in the frame, with its track id. */
    public static KStream<String, DetectedObject> fromTracks(KStream<String, FrameTracks> tracks) {
        return tracks.process(FlatObjectsProcessor.fromTracks(), Named.as(NAME));
    }

    /** Writes the objects to {@code topic} with the project's Avro serde. */
    public static void to(KStream<String, DetectedObject> objects, String topic) {
        objects.to(topic, Produced.<String, DetectedObject>with(Serdes.String(), AvroSerdes.detectedObject())
                .withName(NAME + "-sink"));
    }
}
