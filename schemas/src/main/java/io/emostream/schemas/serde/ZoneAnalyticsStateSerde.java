package io.emostream.schemas.serde;

import io.emostream.schemas.state.ZoneAnalyticsState;

/** Serde for {@link ZoneAnalyticsState}, the zone and line analytics' per-camera state store and its changelog. */
public final class ZoneAnalyticsStateSerde extends AvroSerde<ZoneAnalyticsState> {
    public ZoneAnalyticsStateSerde() {
        super(ZoneAnalyticsState.class);
    }
}
