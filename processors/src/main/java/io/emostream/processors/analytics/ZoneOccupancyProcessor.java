package io.emostream.processors.analytics;

import io.emostream.processors.DeadLetters;
import io.emostream.processors.FailureStage;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns each frame's segmentation into a {@code FrameOccupancy}: class shares overall and per zone of the camera
 * ({@link MaskOccupancy}), keyed by camera id. A segmentation whose mask does not match its size becomes a
 * {@code DeadLetter} (stage {@code occupancy}).
 */
public final class ZoneOccupancyProcessor
        implements Processor<String, CameraFrame<FrameSegmentation>, String, SpecificRecord> {
    private final DerivedDeadLetters<FrameSegmentation> deadLetters;
    private final CameraGeometries geometries = new CameraGeometries();
    private ProcessorContext<String, SpecificRecord> context;

    public ZoneOccupancyProcessor(DeadLetters deadLetters) {
        this.deadLetters = new DerivedDeadLetters<>(deadLetters, AvroSerdes.frameSegmentation(),
                FailureStage.OCCUPANCY);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, CameraFrame<FrameSegmentation>> record) {
        FrameSegmentation segmentation = record.value().frame();
        SpecificRecord out;
        try {
            out = MaskOccupancy.of(segmentation, geometries.of(record.key(), record.value().config()));
        } catch (IllegalArgumentException e) {
            out = deadLetters.of(context, record.withValue(segmentation), e);
        }
        context.forward(record.withValue(out));
    }
}
