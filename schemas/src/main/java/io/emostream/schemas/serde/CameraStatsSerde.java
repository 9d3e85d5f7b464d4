package io.emostream.schemas.serde;

import io.emostream.schemas.CameraStats;

/** Serde for {@link CameraStats}; configurable by class name, e.g. {@code default.value.serde=io.emostream.schemas.serde.CameraStatsSerde}. */
public final class CameraStatsSerde extends AvroSerde<CameraStats> {
    public CameraStatsSerde() {
        super(CameraStats.class);
    }
}
