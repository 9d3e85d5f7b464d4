package io.emostream.processors.analytics;

import io.emostream.processors.DeadLetters;
import io.emostream.processors.FailureStage;
import io.emostream.schemas.DeadLetter;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;

/**
 * Dead letters for typed records the topology derived from a frame (tracks, segmentations): the value is written
 * back with its Serde so that the dead letter keeps its bytes, and the source is the input record being processed.
 */
final class DerivedDeadLetters<V> {
    private final DeadLetters deadLetters;
    private final Serializer<V> serializer;
    private final FailureStage stage;

    DerivedDeadLetters(DeadLetters deadLetters, Serializer<V> serializer, FailureStage stage) {
        this.deadLetters = deadLetters;
        this.serializer = serializer;
        this.stage = stage;
    }

    DeadLetter of(ProcessorContext<?, ?> context, Record<String, V> record, Throwable error) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        String topic = context.recordMetadata().map(m -> m.topic()).orElse(null);
        byte[] value = serializer.serialize(topic, record.value());
        return deadLetters.of(context.recordMetadata(), new Record<>(key, value, record.timestamp()), stage, error,
                context.currentSystemTimeMs());
    }
}
