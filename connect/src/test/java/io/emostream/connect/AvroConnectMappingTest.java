package io.emostream.connect;

import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.DeadLetterReason;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdeConfig;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.schemas.serde.GenericAvroSerde;
import io.emostream.schemas.serde.RegistryStub;
import io.emostream.schemas.serde.TestRecords;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How Avro types appear in Connect, and how Connect structs are written back as Avro. */
class AvroConnectMappingTest {
    private final AvroConverter converter = new AvroConverter();

    AvroConnectMappingTest() {
        converter.configure(Map.of(), false);
    }

    private SchemaAndValue read(String topic, byte[] bytes) {
        return converter.toConnectData(topic, bytes);
    }

    @Test
    void enumsBecomeStringsThatKeepTheirNameSymbolsAndDefault() {
        SchemaAndValue letter = read("frames-dlq", AvroSerdes.deadLetter().serialize("frames-dlq", TestRecords.deadLetter()));

        Schema reason = letter.schema().field("reason").schema();
        assertEquals(Schema.Type.STRING, reason.type());
        assertEquals("CORRUPT_IMAGE", ((Struct) letter.value()).get("reason"));
        assertEquals("io.emostream.schemas.DeadLetterReason", reason.parameters().get(ConnectSchemas.ENUM_NAME));
        assertEquals(List.of(DeadLetterReason.values()).stream().map(Enum::name).toList(),
                List.of(reason.parameters().get(ConnectSchemas.ENUM_SYMBOLS).split(",")));
        assertEquals("UNKNOWN", reason.defaultValue());
    }

    @Test
    void timestampMillisBecomesConnectTimestamp() {
        FrameDetections detections = TestRecords.frameDetections();
        SchemaAndValue connect = read("detections", AvroSerdes.frameDetections().serialize("detections", detections));

        Schema capture = connect.schema().field("captureTimestamp").schema();
        assertEquals(Timestamp.LOGICAL_NAME, capture.name());
        assertEquals(Date.from(detections.getCaptureTimestamp()), ((Struct) connect.value()).get("captureTimestamp"));
    }

    @Test
    void optionalUnionsBecomeOptionalFieldsAndBytesByteArrays() {
        DeadLetter letter = DeadLetter.newBuilder(TestRecords.deadLetter()).setKey(null).build();
        SchemaAndValue connect = read("frames-dlq", AvroSerdes.deadLetter().serialize("frames-dlq", letter));
        Struct struct = (Struct) connect.value();

        Schema key = connect.schema().field("key").schema();
        assertTrue(key.isOptional());
        assertEquals(Schema.Type.BYTES, key.type());
        assertNull(struct.get("key"));
        assertArrayEquals(new byte[]{1, 2, 3}, struct.getBytes("value"));
        assertTrue(!connect.schema().field("topic").schema().isOptional(), "plain fields are required");
    }

    @Test
    void arraysMapsAndNestedRecordsKeepTheirShape() {
        VideoFrame frame = TestRecords.videoFrame("cam-7", 3, 16);
        Struct video = (Struct) read("frames", AvroSerdes.videoFrame().serialize("frames", frame)).value();
        assertEquals(Map.of("source", "file:///cam/cam-7.mp4"), video.getMap("metadata"));
        assertArrayEquals(frame.getImage().array(), video.getBytes("image"));

        Struct detections = (Struct) read("detections",
                AvroSerdes.frameDetections().serialize("detections", TestRecords.frameDetections())).value();
        Struct person = (Struct) detections.getArray("detections").get(0);
        assertEquals("io.emostream.schemas.Detection", person.schema().name());
        assertEquals(0.875f, person.getFloat32("score"));
        assertEquals(30f, person.getStruct("box").getFloat32("x2"));
        assertEquals("emo-1m-ssdlite", detections.getStruct("model").getString("name"));
        assertEquals(false, detections.getStruct("model").getBoolean("trained"));
    }

    @Test
    void defaultsAndDocsCarryOver() {
        Schema frame = read("frames", AvroSerdes.videoFrame().serialize("frames",
                TestRecords.videoFrame("cam-1", 0, 4))).schema();
        assertEquals(Map.of(), frame.field("metadata").schema().defaultValue());
        assertEquals("One decoded camera frame, re-encoded as an image. Key on Kafka: the camera id.", frame.doc());
        assertEquals("Image width in pixels.", frame.field("width").schema().doc());

        Schema letter = read("frames-dlq", AvroSerdes.deadLetter().serialize("frames-dlq", TestRecords.deadLetter()))
                .schema();
        assertEquals("unknown", letter.field("stage").schema().defaultValue());
    }

    @Test
    void aStructMadeByHandIsWrittenAsAnAvroRecordOfTheSameShape() throws IOException {
        Schema point = SchemaBuilder.struct().name("site.Point").field("x", Schema.FLOAT64_SCHEMA).build();
        Schema schema = SchemaBuilder.struct()
                .field("level", Schema.INT8_SCHEMA)
                .field("note", Schema.OPTIONAL_STRING_SCHEMA)
                .field("seen", Timestamp.SCHEMA)
                .field("counts", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
                .field("points", SchemaBuilder.array(point).build())
                .build();
        Struct value = new Struct(schema).put("level", (byte) 3).put("seen", new Date(1_790_000_000_000L))
                .put("counts", Map.of("a", 1)).put("points", List.of(new Struct(point).put("x", 0.5)));
        try (RegistryStub registry = new RegistryStub()) {
            Map<String, Object> configs = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
            AvroConverter writer = new AvroConverter();
            writer.configure(configs, false);
            GenericAvroSerde reader = new GenericAvroSerde();
            reader.configure(configs, false);

            GenericRecord record = reader.deserialize("custom", writer.fromConnectData("custom", schema, value));

            assertEquals("{\"type\":\"record\",\"name\":\"ConnectRecord\",\"fields\":["
                    + "{\"name\":\"level\",\"type\":\"int\"},"
                    + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},"
                    + "{\"name\":\"seen\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                    + "{\"name\":\"counts\",\"type\":{\"type\":\"map\",\"values\":\"int\"}},"
                    + "{\"name\":\"points\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"Point\","
                    + "\"namespace\":\"site\",\"fields\":[{\"name\":\"x\",\"type\":\"double\"}]}}}]}",
                    record.getSchema().toString());
            assertEquals(3, record.get("level"));
            assertNull(record.get("note"));
            assertEquals(1_790_000_000_000L, record.get("seen"));
            assertEquals(0.5, ((GenericRecord) ((List<?>) record.get("points")).get(0)).get("x"));
        }
    }

    @Test
    void aSymbolTheEnumLacksIsRefusedNamingTheSymbolsItHas() {
        SchemaAndValue letter = read("frames-dlq", AvroSerdes.deadLetter().serialize("frames-dlq", TestRecords.deadLetter()));
        Struct struct = ((Struct) letter.value()).put("reason", "TOO_BLURRY");

        DataException e = assertThrows(DataException.class,
                () -> converter.fromConnectData("frames-dlq", letter.schema(), struct));
        assertTrue(e.getMessage().contains("TOO_BLURRY") && e.getMessage().contains("CORRUPT_IMAGE"), e.getMessage());
    }

    @Test
    void valuesWithoutASchemaOrThatAreNoStructAreRefusedSayingWhatIsNeeded() {
        DataException schemaless = assertThrows(DataException.class,
                () -> converter.fromConnectData("t", null, Map.of("a", 1)));
        assertTrue(schemaless.getMessage().contains("without a schema"), schemaless.getMessage());
        DataException primitive = assertThrows(DataException.class,
                () -> converter.fromConnectData("t", Schema.STRING_SCHEMA, "text"));
        assertTrue(primitive.getMessage().contains("structs"), primitive.getMessage());
    }

    @Test
    void tombstonesStayNullBothWays() {
        assertEquals(SchemaAndValue.NULL, converter.toConnectData("t", null));
        assertNull(converter.fromConnectData("t", null, null));
    }

    @Test
    void writtenBackRecordsAreReadByTheSerdesOfTheirType() {
        DeadLetter letter = TestRecords.deadLetter();
        SchemaAndValue connect = read("frames-dlq", AvroSerdes.deadLetter().serialize("frames-dlq", letter));
        Struct changed = ((Struct) connect.value()).put("stage", "sink");

        DeadLetter read = AvroSerdes.deadLetter().deserialize("frames-dlq",
                converter.fromConnectData("frames-dlq", connect.schema(), changed));

        assertEquals(DeadLetter.newBuilder(letter).setStage("sink").build(), read);
        assertEquals(ByteBuffer.wrap(new byte[]{1, 2, 3}), read.getValue());
    }
}
