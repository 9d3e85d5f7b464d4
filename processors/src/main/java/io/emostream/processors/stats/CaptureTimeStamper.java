package io.emostream.processors.stats;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import java.time.Instant;
import java.util.function.Function;

/**
 * Gives each record its capture time as the record timestamp, so that windows and stream time downstream follow
 * when frames were taken, not when they were ingested or processed.
 */
public final class CaptureTimeStamper<K, V> implements FixedKeyProcessor<K, V, V> {
    private final Function<V, Instant> captureTime;
    private FixedKeyProcessorContext<K, V> context;

    public CaptureTimeStamper(Function<V, Instant> captureTime) {
        this.captureTime = captureTime;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        if (record.value() == null) {
            context.forward(record);
            return;
        }
        context.forward(record.withTimestamp(captureTime.apply(record.value()).toEpochMilli()));
    }
}
