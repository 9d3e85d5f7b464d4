package io.emostream.processors.tracking;

import io.emostream.processors.FrameInferenceProcessor;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.TrackerState;
import io.emostream.schemas.serde.TrackerStateSerde;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tracks objects per camera: one {@code FrameDetections} in, one {@code FrameTracks} out, keyed by camera id.
 *
 * <p>Each camera's {@link Tracker} lives in a persistent key-value store keyed by camera id and logged to a
 * changelog topic, put at every frame into the store's cache, which reaches the changelog at each commit, so a track
 * keeps its id when the partition moves to another instance.
 * The trackers in use are also kept in memory, read from the store at a camera's first frame after {@link #init}:
 * Kafka Streams initializes the processor after the store is restored and closes it before the store can change
 * behind it (rebalance, or a corrupted task wiped and restored), and nothing else writes the store, so the store is
 * only read back when it can hold something new.
 *
 * <p>A frame whose capture time is not after the camera's last one (out of order, or a duplicate after a restart)
 * is still answered, by {@link Tracker#matchLate}, but leaves the state as it is; such frames are counted
 * ({@value #FRAMES_OUT_OF_ORDER}).
 */
public final class TrackingProcessor implements Processor<String, FrameDetections, String, FrameTracks> {
    public static final String FRAMES_OUT_OF_ORDER = "tracking-frames-out-of-order";

    private final TrackerSettings settings;
    private final String storeName;
    private ProcessorContext<String, FrameTracks> context;
    private KeyValueStore<String, TrackerState> store;
    private final Map<String, Tracker> trackers = new HashMap<>();
    private Sensor outOfOrder;

    public TrackingProcessor(TrackerSettings settings, String storeName) {
        this.settings = settings;
        this.storeName = storeName;
    }

    /** The processor with its store attached: {@code stream.process(supplier(...))} adds the store too. */
    public static ProcessorSupplier<String, FrameDetections, String, FrameTracks> supplier(TrackerSettings settings,
                                                                                          String storeName) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, FrameDetections, String, FrameTracks> get() {
                return new TrackingProcessor(settings, storeName);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(storeBuilder(storeName));
            }
        };
    }

    /**
     * The trackers' store: persistent, changelogged, camera id to {@link TrackerState}; cached, so that a camera's
     * state reaches the store and its changelog once per commit, not at every frame.
     */
    public static StoreBuilder<KeyValueStore<String, TrackerState>> storeBuilder(String storeName) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), Serdes.String(),
                new TrackerStateSerde()).withLoggingEnabled(Map.of()).withCachingEnabled();
    }

    @Override
    public void init(ProcessorContext<String, FrameTracks> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        trackers.clear();
        outOfOrder = context.metrics().addRateTotalSensor(FrameInferenceProcessor.METRICS_SCOPE,
                context.taskId().toString(), FRAMES_OUT_OF_ORDER, Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, FrameDetections> record) {
        FrameDetections frame = record.value();
        if (frame == null) return; // a tombstone, not a frame: nothing to track or answer
        String camera = record.key() != null ? record.key() : frame.getCameraId();
        Tracker tracker = trackers.computeIfAbsent(camera, this::load);
        long captureMs = frame.getCaptureTimestamp().toEpochMilli();
        List<Observation> observations = TrackRecords.observations(frame);
        TrackerResult result;
        if (tracker.isAfterLastFrame(captureMs)) {
            result = tracker.update(captureMs, observations);
            store.put(camera, TrackerStates.save(camera, tracker));
        } else {
            outOfOrder.record();
            result = tracker.matchLate(captureMs, observations);
        }
        context.forward(record.withKey(camera).withValue(TrackRecords.frameTracks(frame, result)));
    }

    @Override
    public void close() {
        trackers.clear();
        if (context != null) context.metrics().removeSensor(outOfOrder);
    }

    private Tracker load(String camera) {
        TrackerState saved = store.get(camera);
        return saved == null ? new Tracker(settings) : TrackerStates.restore(saved, settings);
    }
}
