package io.emostream.schemas.serde;

import io.emostream.schemas.VideoFrame;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The opt-in schema-registry wire format, against a registry over real HTTP. */
class RegistryFormatTest {
    private RegistryStub registry;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = new RegistryStub();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    private <T extends AvroSerde<?>> T configured(T serde, boolean isKey, Map<String, Object> extra) {
        Map<String, Object> configs = new java.util.HashMap<>(extra);
        configs.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        serde.configure(configs, isKey);
        return serde;
    }

    @Test
    void valuesAreRegisteredUnderTopicValueAndReadBackByAFreshDeserializer() {
        VideoFrameSerde writer = configured(new VideoFrameSerde(), false, Map.of());
        VideoFrame frame = TestRecords.videoFrame("cam-1", 1, 100);

        byte[] bytes = writer.serialize("frames", frame);

        int id = registry.idOf(VideoFrame.getClassSchema());
        assertTrue(id > 0, "the schema was registered");
        assertEquals(List.of(id), registry.versions("frames-value"));
        assertEquals(0, bytes[0], "magic byte");
        assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt(), "big-endian schema id");
        assertEquals(frame, configured(new VideoFrameSerde(), false, Map.of()).deserialize("frames", bytes));
    }

    @Test
    void idsAndSchemasAreCachedAfterTheFirstCall() {
        VideoFrameSerde serde = configured(new VideoFrameSerde(), false, Map.of());
        byte[] first = serde.serialize("frames", TestRecords.videoFrame("c", 1, 10));
        serde.deserialize("frames", first);
        int afterFirst = registry.requests();
        for (int i = 2; i < 20; i++) {
            serde.deserialize("frames", serde.serialize("frames", TestRecords.videoFrame("c", i, 10)));
        }
        assertEquals(afterFirst, registry.requests());
    }

    @Test
    void keysUseTheTopicKeySubject() {
        configured(new DeadLetterSerde(), true, Map.of()).serialize("frames-dlq", TestRecords.deadLetter());
        assertEquals(1, registry.versions("frames-dlq-key").size());
        assertEquals(List.of(), registry.versions("frames-dlq-value"));
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaIsRefusedNamingTheSubject() {
        VideoFrameSerde serde = configured(new VideoFrameSerde(), false,
                Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false));
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.serialize("frames", TestRecords.videoFrame("c", 1, 10)));
        assertTrue(e.getMessage().contains("subject frames-value does not hold this io.emostream.schemas.VideoFrame"),
                e.getMessage());

        configured(new VideoFrameSerde(), false, Map.of()).serialize("frames", TestRecords.videoFrame("c", 1, 10));
        byte[] bytes = serde.serialize("frames", TestRecords.videoFrame("c", 2, 10)); // lookup now succeeds
        assertEquals(registry.idOf(VideoFrame.getClassSchema()), ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    @Test
    void unknownSchemaIdIsNamed() {
        VideoFrameSerde serde = configured(new VideoFrameSerde(), false, Map.of());
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.deserialize("frames", new byte[]{0, 0, 0, 0x01, 0x2c, 2, 'c'}));
        assertTrue(e.getMessage().contains("schema id 300 is not in the registry"), e.getMessage());
    }

    @Test
    void olderWriterSchemaFromTheRegistryResolvesToTheCurrentClass() throws IOException {
        Schema old = TestRecords.schema("/io/emostream/schemas/history-test/VideoFrame-without-metadata.avsc");
        GenericRecord record = new GenericRecordBuilder(old).set("cameraId", "c").set("sequence", 1L)
                .set("captureTimestamp", 1L).set("ingestTimestamp", 2L).set("width", 1).set("height", 1)
                .set("encoding", new GenericData.EnumSymbol(old.getField("encoding").schema(), "RAW_BGR24"))
                .set("image", ByteBuffer.wrap(new byte[]{7, 7, 7})).build();
        byte[] bytes = configured(new AvroSerde<GenericRecord>(old, GenericData.get()), false, Map.of())
                .serialize("frames", record);

        VideoFrame frame = configured(new VideoFrameSerde(), false, Map.of()).deserialize("frames", bytes);
        assertEquals(Map.of(), frame.getMetadata());
        assertEquals(2L, frame.getIngestTimestamp().toEpochMilli());
    }

    @Test
    void registryFormatDeserializerStillReadsSingleObjectRecords() {
        byte[] singleObject = new VideoFrameSerde().serialize("frames", TestRecords.videoFrame("c", 3, 5));
        assertEquals(3L, configured(new VideoFrameSerde(), false, Map.of())
                .deserialize("frames", singleObject).getSequence());
    }

    @Test
    void unreachableRegistryGivesAClearError() throws IOException {
        int closedPort = closedPort();
        VideoFrameSerde serde = new VideoFrameSerde();
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + closedPort,
                AvroSerdeConfig.SCHEMA_REGISTRY_TIMEOUT_MS, 2000), false);
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.serialize("frames", TestRecords.videoFrame("c", 1, 1)));
        assertTrue(e.getMessage().contains("schema registry unreachable at [http://127.0.0.1:" + closedPort + "]"),
                e.getMessage());
    }

    @Test
    void secondRegistryUrlIsTriedWhenTheFirstIsDown() throws IOException {
        int closedPort = closedPort();
        VideoFrameSerde serde = new VideoFrameSerde();
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                "http://127.0.0.1:" + closedPort + "," + registry.url()), false);
        VideoFrame frame = TestRecords.videoFrame("c", 1, 1);
        assertEquals(frame, serde.deserialize("frames", serde.serialize("frames", frame)));
    }

    /** A local port nothing listens on (it was free a moment ago). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
