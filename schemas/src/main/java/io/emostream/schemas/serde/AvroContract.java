package io.emostream.schemas.serde;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.DetectedObject;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.TrackerState;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.state.ZoneAnalyticsState;
import org.apache.avro.Schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The record schemas of the emostream contract as this build writes them: every record that is a Kafka value of its
 * own (topics and state stores); the records nested in them (ModelInfo, Detection, ...) come with them.
 */
public final class AvroContract {
    private static final List<Schema> SCHEMAS = List.of(VideoFrame.getClassSchema(),
            FrameDetections.getClassSchema(), FrameSegmentation.getClassSchema(), FrameTracks.getClassSchema(),
            FrameAnalytics.getClassSchema(), FrameOccupancy.getClassSchema(), CameraStats.getClassSchema(),
            CameraConfig.getClassSchema(), DetectedObject.getClassSchema(), DeadLetter.getClassSchema(),
            TrackerState.getClassSchema(), ZoneAnalyticsState.getClassSchema());
    private static final Map<String, Schema> BY_NAME = SCHEMAS.stream()
            .collect(Collectors.toUnmodifiableMap(Schema::getFullName, Function.identity()));

    private AvroContract() { }

    /** Every top-level record schema, current version. */
    public static List<Schema> schemas() {
        return SCHEMAS;
    }

    /** The current version of the top-level record named {@code fullName}, e.g. {@code io.emostream.schemas.DeadLetter}. */
    public static Optional<Schema> current(String fullName) {
        return Optional.ofNullable(BY_NAME.get(fullName));
    }
}
