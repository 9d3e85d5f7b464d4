package io.emostream.schemas.serde;

import io.emostream.schemas.FrameSegmentation;

/** Serde for {@link FrameSegmentation}; configurable by class name, e.g. {@code default.value.serde=io.emostream.schemas.serde.FrameSegmentationSerde}. */
public final class FrameSegmentationSerde extends AvroSerde<FrameSegmentation> {
    public FrameSegmentationSerde() {
        super(FrameSegmentation.class);
    }
}
