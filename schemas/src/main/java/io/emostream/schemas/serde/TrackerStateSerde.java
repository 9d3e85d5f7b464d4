package io.emostream.schemas.serde;

import io.emostream.schemas.TrackerState;

/** Serde for {@link TrackerState}, the tracking processor's state-store value. */
public final class TrackerStateSerde extends AvroSerde<TrackerState> {
    public TrackerStateSerde() {
        super(TrackerState.class);
    }
}
