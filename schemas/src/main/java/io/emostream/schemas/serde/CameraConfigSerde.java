package io.emostream.schemas.serde;

import io.emostream.schemas.CameraConfig;

/** Serde for {@link CameraConfig}; configurable by class name, e.g. {@code default.value.serde=io.emostream.schemas.serde.CameraConfigSerde}. */
public final class CameraConfigSerde extends AvroSerde<CameraConfig> {
    public CameraConfigSerde() {
        super(CameraConfig.class);
    }
}
