package io.emostream.schemas.serde;

import io.emostream.schemas.FrameTracks;

/** Serde for {@link FrameTracks}; configurable by class name, e.g. {@code default.value.serde=io.emostream.schemas.serde.FrameTracksSerde}. */
public final class FrameTracksSerde extends AvroSerde<FrameTracks> {
    public FrameTracksSerde() {
        super(FrameTracks.class);
    }
}
