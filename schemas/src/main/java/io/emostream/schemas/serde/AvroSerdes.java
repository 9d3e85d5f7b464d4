package io.emostream.schemas.serde;

/**
 * Factory of the emostream Serdes, unconfigured: Avro single-object encoding. Call {@code configure} (or let Kafka
 * call it) to switch on the schema-registry format or add schema history; see {@link AvroSerdeConfig}.
 */
public final class AvroSerdes {
    private AvroSerdes() { }

    public static VideoFrameSerde videoFrame() {
        return new VideoFrameSerde();
    }

    public static FrameDetectionsSerde frameDetections() {
        return new FrameDetectionsSerde();
    }

    public static FrameSegmentationSerde frameSegmentation() {
        return new FrameSegmentationSerde();
    }

    public static FrameTracksSerde frameTracks() {
        return new FrameTracksSerde();
    }

    public static FrameAnalyticsSerde frameAnalytics() {
        return new FrameAnalyticsSerde();
    }

    public static FrameOccupancySerde frameOccupancy() {
        return new FrameOccupancySerde();
    }

    public static CameraConfigSerde cameraConfig() {
        return new CameraConfigSerde();
    }

    public static CameraStatsSerde cameraStats() {
        return new CameraStatsSerde();
    }

    public static DetectedObjectSerde detectedObject() {
        return new DetectedObjectSerde();
    }

    public static DeadLetterSerde deadLetter() {
        return new DeadLetterSerde();
    }
}
