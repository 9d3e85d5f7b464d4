package io.emostream.processors.analytics;

import io.emostream.processors.DeadLetters;
import io.emostream.processors.FailureStage;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.schemas.state.ZoneAnalyticsState;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;

/**
 * Per camera, turns each frame's tracks into a {@code FrameAnalytics} (objects, line crossings, zone counts and
 * exits; see {@link ZoneLineAnalyzer}), keyed by camera id. What it remembers of the camera's tracks lives in a
 * changelogged key-value store keyed by camera id, so it moves with the partition when another instance takes it
 * over. A record the analyzer rejects (no key, no frame size) becomes a {@code DeadLetter} (stage {@code zones}).
 */
public final class ZoneAnalyticsProcessor
        implements Processor<String, CameraFrame<FrameTracks>, String, SpecificRecord> {
    private final String storeName;
    private final ZoneLineAnalyzer analyzer;
    private final DerivedDeadLetters<FrameTracks> deadLetters;
    private final CameraGeometries geometries = new CameraGeometries();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ZoneAnalyticsState> store;

    /** @param storeName a {@code KeyValueStore<String, ZoneAnalyticsState>} connected to this processor */
    public ZoneAnalyticsProcessor(String storeName, ZoneLineAnalyzer analyzer, DeadLetters deadLetters) {
        this.storeName = storeName;
        this.analyzer = analyzer;
        this.deadLetters = new DerivedDeadLetters<>(deadLetters, AvroSerdes.frameTracks(), FailureStage.ZONES);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, CameraFrame<FrameTracks>> record) {
        String camera = record.key();
        FrameTracks frame = record.value().frame();
        try {
            if (camera == null) {
                throw new IllegalArgumentException("the record has no key: tracks are keyed by camera id");
            }
            ZoneAnalyticsState state = store.get(camera);
            if (state == null) state = new ZoneAnalyticsState(new ArrayList<>());
            SpecificRecord analytics = analyzer.analyze(geometries.of(camera, record.value().config()), frame, state);
            store.put(camera, state);
            context.forward(record.withValue(analytics));
        } catch (IllegalArgumentException e) {
            context.forward(record.withValue(deadLetters.of(context, record.withValue(frame), e)));
        }
    }
}
