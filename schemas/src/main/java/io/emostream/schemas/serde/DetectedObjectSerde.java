package io.emostream.schemas.serde;

import io.emostream.schemas.DetectedObject;

/** Serde for {@link DetectedObject}; configurable by class name, e.g. {@code value.deserializer=io.emostream.schemas.serde.DetectedObjectSerde}. */
public final class DetectedObjectSerde extends AvroSerde<DetectedObject> {
    public DetectedObjectSerde() {
        super(DetectedObject.class);
    }
}
