package io.emostream.schemas.serde;

import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.VideoFrame;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.nio.ByteBuffer;

/**
 * Kafka Serdes for the emostream records. Default wire format: Avro single-object encoding (two marker bytes, the
 * 8-byte schema fingerprint, then the binary record), readable with nothing but the .avsc.
 */
public final class AvroSerdes {
    private AvroSerdes() { }

    public static Serde<VideoFrame> videoFrame() {
        return singleObject(VideoFrame.getEncoder(), VideoFrame.getDecoder());
    }

    public static Serde<FrameDetections> frameDetections() {
        return singleObject(FrameDetections.getEncoder(), FrameDetections.getDecoder());
    }

    public static Serde<FrameSegmentation> frameSegmentation() {
        return singleObject(FrameSegmentation.getEncoder(), FrameSegmentation.getDecoder());
    }

    public static Serde<DeadLetter> deadLetter() {
        return singleObject(DeadLetter.getEncoder(), DeadLetter.getDecoder());
    }

    private static <T extends SpecificRecord> Serde<T> singleObject(BinaryMessageEncoder<T> encoder,
                                                                    BinaryMessageDecoder<T> decoder) {
        return Serdes.serdeFrom(
                (topic, record) -> {
                    if (record == null) return null;
                    try {
                        ByteBuffer buf = encoder.encode(record);
                        byte[] out = new byte[buf.remaining()];
                        buf.get(out);
                        return out;
                    } catch (Exception e) {
                        throw new SerializationException("cannot encode " + record.getClass().getSimpleName()
                                + " for topic " + topic + ": " + e.getMessage(), e);
                    }
                },
                (topic, bytes) -> {
                    if (bytes == null) return null;
                    try {
                        return decoder.decode(bytes);
                    } catch (Exception e) {
                        throw new SerializationException("cannot decode record from topic " + topic + ": "
                                + e.getMessage(), e);
                    }
                });
    }
}
