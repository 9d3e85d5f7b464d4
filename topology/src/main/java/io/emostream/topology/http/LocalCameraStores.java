package io.emostream.topology.http;

import io.emostream.processors.stats.CameraStatus;
import io.emostream.processors.stats.WindowStats;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads this instance's share of the status and window stores (active tasks only, so every camera is read from one
 * instance). Throws Kafka Streams' {@code InvalidStateStoreException} while the stores are not queryable.
 */
final class LocalCameraStores {
    private final KafkaStreams streams;
    private final QueryStores names;

    LocalCameraStores(KafkaStreams streams, QueryStores names) {
        this.streams = streams;
        this.names = names;
    }

    List<CameraJson.Summary> summaries() {
        List<CameraJson.Summary> cameras = new ArrayList<>();
        try (KeyValueIterator<String, CameraStatus> all = statusStore().all()) {
            all.forEachRemaining(kv -> cameras.add(CameraJson.Summary.of(kv.key, kv.value)));
        }
        return cameras;
    }

    Optional<CameraJson.Detail> camera(String cameraId) {
        return Optional.ofNullable(statusStore().get(cameraId)).map(s -> CameraJson.Detail.of(cameraId, s));
    }

    /** The windows starting in the range; empty when the store holds no window at all for the camera. */
    Optional<List<CameraJson.Window>> windows(String cameraId, TimeRange range) {
        ReadOnlyWindowStore<String, WindowStats> store = windowStore();
        List<CameraJson.Window> windows = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, WindowStats> it = store.fetch(cameraId, cameraId, range.from(),
                range.to())) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, WindowStats> kv = it.next();
                windows.add(CameraJson.Window.of(kv.value.toCameraStats(cameraId, kv.key.window().startTime(),
                        kv.key.window().endTime(), false)));
            }
        }
        if (!windows.isEmpty()) return Optional.of(windows);
        try (KeyValueIterator<Windowed<String>, WindowStats> any = store.fetch(cameraId, cameraId, Instant.EPOCH,
                Instant.ofEpochMilli(Long.MAX_VALUE))) {
            return any.hasNext() ? Optional.of(windows) : Optional.empty();
        }
    }

    private ReadOnlyKeyValueStore<String, CameraStatus> statusStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(names.status(),
                QueryableStoreTypes.keyValueStore()));
    }

    private ReadOnlyWindowStore<String, WindowStats> windowStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(names.windows(),
                QueryableStoreTypes.windowStore()));
    }
}
