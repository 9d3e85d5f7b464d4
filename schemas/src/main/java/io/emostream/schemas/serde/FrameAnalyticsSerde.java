package io.emostream.schemas.serde;

import io.emostream.schemas.FrameAnalytics;

/** Serde for {@link FrameAnalytics}; configurable by class name, e.g. {@code default.value.serde=io.emostream.schemas.serde.FrameAnalyticsSerde}. */
public final class FrameAnalyticsSerde extends AvroSerde<FrameAnalytics> {
    public FrameAnalyticsSerde() {
        super(FrameAnalytics.class);
    }
}
