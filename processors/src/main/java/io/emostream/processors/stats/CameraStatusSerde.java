package io.emostream.processors.stats;

/**
 * Serde of {@link CameraStatus} for the status store and its changelog: the recent capture times, then the latest
 * tracks and analytics in their own Avro single-object encoding.
 */
public final class CameraStatusSerde extends BinaryStateSerde<CameraStatus> {
    public CameraStatusSerde() {
        super("camera status", CameraStatus::writeTo, CameraStatus::readFrom);
    }
}
