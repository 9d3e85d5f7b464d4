package io.emostream.schemas.serde;

import io.emostream.schemas.FrameOccupancy;

/** Serde for {@link FrameOccupancy}; configurable by class name, e.g. {@code default.value.serde=io.emostream.schemas.serde.FrameOccupancySerde}. */
public final class FrameOccupancySerde extends AvroSerde<FrameOccupancy> {
    public FrameOccupancySerde() {
        super(FrameOccupancy.class);
    }
}
