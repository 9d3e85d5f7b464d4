package io.emostream.processors;

import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Serializes any record the frame processor emits with the project's serde for its type. */
public final class ResultSerializer implements Serializer<SpecificRecord> {
    private final Serializer<FrameDetections> detections = AvroSerdes.frameDetections().serializer();
    private final Serializer<FrameSegmentation> segmentations = AvroSerdes.frameSegmentation().serializer();
    private final Serializer<DeadLetter> deadLetters = AvroSerdes.deadLetter().serializer();

    @Override
    public byte[] serialize(String topic, SpecificRecord record) {
        if (record == null) return null;
        if (record instanceof FrameDetections d) return detections.serialize(topic, d);
        if (record instanceof FrameSegmentation s) return segmentations.serialize(topic, s);
        if (record instanceof DeadLetter l) return deadLetters.serialize(topic, l);
        throw new SerializationException("not an emostream result: " + record.getClass().getName());
    }
}
