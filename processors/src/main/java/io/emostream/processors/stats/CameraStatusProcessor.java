package io.emostream.processors.stats;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.function.BiConsumer;

/**
 * Folds per-frame records of one kind (tracks or analytics) into the camera's {@link CameraStatus} in a key-value
 * store keyed by camera id. Forwards nothing: the store is read through interactive queries.
 */
public final class CameraStatusProcessor<V> implements FixedKeyProcessor<String, V, Void> {
    private final String storeName;
    private final BiConsumer<CameraStatus, V> update;
    private KeyValueStore<String, CameraStatus> store;

    /** {@code update} applies one record to the status, e.g. {@code (status, tracks) -> status.record(tracks, span)}. */
    public CameraStatusProcessor(String storeName, BiConsumer<CameraStatus, V> update) {
        this.storeName = storeName;
        this.update = update;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        if (record.key() == null || record.value() == null) return;
        CameraStatus status = store.get(record.key());
        if (status == null) status = new CameraStatus();
        update.accept(status, record.value());
        store.put(record.key(), status);
    }
}
