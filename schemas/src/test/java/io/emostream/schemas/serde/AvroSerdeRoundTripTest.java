package io.emostream.schemas.serde;

import io.emostream.schemas.VideoFrame;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class AvroSerdeRoundTripTest {

    private static <T> T roundTrip(Serde<T> serde, T record) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", record));
    }

    @Test
    void everyRecordTypeComesBackEqual() {
        VideoFrame frame = TestRecords.videoFrame("cam-1", 3, 1000);
        assertEquals(frame, roundTrip(AvroSerdes.videoFrame(), frame));
        assertEquals(TestRecords.frameDetections(), roundTrip(AvroSerdes.frameDetections(), TestRecords.frameDetections()));
        assertEquals(TestRecords.frameSegmentation(),
                roundTrip(AvroSerdes.frameSegmentation(), TestRecords.frameSegmentation()));
        assertEquals(TestRecords.deadLetter(), roundTrip(AvroSerdes.deadLetter(), TestRecords.deadLetter()));
    }

    @Test
    void nullStaysNullForTombstones() {
        assertNull(AvroSerdes.videoFrame().serialize("t", null));
        assertNull(AvroSerdes.videoFrame().deserialize("t", null));
    }

    @Test
    void defaultFormatIsSingleObjectEncodingWithTheSchemaFingerprint() {
        byte[] bytes = AvroSerdes.videoFrame().serialize("t", TestRecords.videoFrame("c", 0, 10));
        long fingerprint = SchemaNormalization.parsingFingerprint64(VideoFrame.getClassSchema());
        assertArrayEquals(new byte[]{(byte) 0xC3, 0x01}, Arrays.copyOf(bytes, 2));
        assertEquals(fingerprint, ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        // Avro's own single-object decoder, knowing nothing but the schema, reads it.
        assertEquals("c", assertInstanceOf(VideoFrame.class, decodeWithAvro(bytes)).getCameraId());
    }

    private static VideoFrame decodeWithAvro(byte[] bytes) {
        try {
            return VideoFrame.getDecoder().decode(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void serdeIsConfigurableByClassNameAsKafkaDoes() throws ClassNotFoundException {
        Serde<?> serde = Utils.newInstance(VideoFrameSerde.class.getName(), Serde.class);
        serde.configure(Map.of(), false);
        VideoFrame frame = TestRecords.videoFrame("cam-9", 1, 50);
        @SuppressWarnings("unchecked") Serde<VideoFrame> typed = (Serde<VideoFrame>) serde;
        assertEquals(frame, roundTrip(typed, frame));

        // The same class name works as a producer's value.serializer and a consumer's value.deserializer.
        ProducerConfig producer = new ProducerConfig(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, DeadLetterSerde.class.getName()));
        assertInstanceOf(DeadLetterSerde.class, producer.getConfiguredInstance(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, Serializer.class));
        ConsumerConfig consumer = new ConsumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, FrameDetectionsSerde.class.getName()));
        assertInstanceOf(FrameDetectionsSerde.class, consumer.getConfiguredInstance(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, Deserializer.class));
    }
}
