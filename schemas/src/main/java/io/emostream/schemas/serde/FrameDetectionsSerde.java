package io.emostream.schemas.serde;

import io.emostream.schemas.FrameDetections;

/** Serde for {@link FrameDetections}; configurable by class name, e.g. {@code default.value.serde=io.emostream.schemas.serde.FrameDetectionsSerde}. */
public final class FrameDetectionsSerde extends AvroSerde<FrameDetections> {
    public FrameDetectionsSerde() {
        super(FrameDetections.class);
    }
}
