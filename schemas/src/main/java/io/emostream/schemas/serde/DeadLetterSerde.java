package io.emostream.schemas.serde;

import io.emostream.schemas.DeadLetter;

/** Serde for {@link DeadLetter}; configurable by class name, e.g. {@code default.value.serde=io.emostream.schemas.serde.DeadLetterSerde}. */
public final class DeadLetterSerde extends AvroSerde<DeadLetter> {
    public DeadLetterSerde() {
        super(DeadLetter.class);
    }
}
