package io.emostream.connect;

import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroContract;
import io.emostream.schemas.serde.AvroSerde;
import io.emostream.schemas.serde.AvroSerdeConfig;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.schemas.serde.GenericAvroSerde;
import io.emostream.schemas.serde.RegistryStub;
import io.emostream.schemas.serde.TestRecords;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.RandomData;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records go through the converter into Connect and back unchanged: every schema of the contract, every older
 * version the schema history ships, a newer version from a history directory, and the registry wire format.
 */
class AvroConverterRoundTripTest {
    private static final String TOPIC = "results";
    private static final int RECORDS_PER_SCHEMA = 25;
    private static final int SINGLE_OBJECT_HEADER = 10;
    private static final String HISTORY_INDEX = "META-INF/emostream/avro-schema-history";

    static Stream<Named<Schema>> contractSchemas() {
        return AvroContract.schemas().stream().map(s -> Named.of(s.getName(), s));
    }

    private static AvroConverter converter(Map<String, ?> configs) {
        AvroConverter converter = new AvroConverter();
        converter.configure(configs, false);
        return converter;
    }

    /** Random but complete records: every field set, arrays and maps of random sizes, unions null or not. */
    private static List<GenericRecord> randomRecords(Schema schema, long seed) {
        List<GenericRecord> records = new ArrayList<>();
        new RandomData(GenericData.get(), schema, RECORDS_PER_SCHEMA, seed, false)
                .forEach(datum -> records.add((GenericRecord) datum));
        return records;
    }

    @ParameterizedTest
    @MethodSource("contractSchemas")
    void everyRecordOfTheSchemaComesBackWithItsFingerprintAndValues(Schema schema) {
        AvroConverter converter = converter(Map.of());
        GenericAvroSerde serde = new GenericAvroSerde();
        for (GenericRecord record : randomRecords(schema, schema.getFullName().hashCode())) {
            byte[] bytes = serde.serialize(TOPIC, record);

            SchemaAndValue connect = converter.toConnectData(TOPIC, bytes);
            ConnectSchema.validateValue(connect.schema(), connect.value());
            assertEquals(schema.getFullName(), connect.schema().name());

            byte[] writtenBack = converter.fromConnectData(TOPIC, connect.schema(), connect.value());
            assertArrayEquals(Arrays.copyOf(bytes, SINGLE_OBJECT_HEADER), Arrays.copyOf(writtenBack, SINGLE_OBJECT_HEADER),
                    "the same schema fingerprint");
            // equal as records, not byte for byte: a map's entries may come back in another order
            assertEquals(serde.deserialize(TOPIC, bytes), serde.deserialize(TOPIC, writtenBack));
        }
    }

    @Test
    void everyOlderVersionInTheSchemaHistoryReadsAsTheCurrentVersion() throws IOException {
        List<Schema> releasedVersions = historySchemas();
        assertFalse(releasedVersions.isEmpty(), "the schemas jar ships its history");
        AvroConverter converter = converter(Map.of());
        GenericAvroSerde serde = new GenericAvroSerde();
        for (Schema released : releasedVersions) {
            Schema current = AvroContract.current(released.getFullName()).orElseThrow();
            for (GenericRecord old : randomRecords(released, 11)) {
                SchemaAndValue connect = converter.toConnectData(TOPIC, serde.serialize(TOPIC, old));

                assertEquals(current.getFields().stream().map(Schema.Field::name).toList(),
                        connect.schema().fields().stream().map(org.apache.kafka.connect.data.Field::name).toList(),
                        released.getFullName() + ": the current version's fields");
                GenericRecord writtenBack = serde.deserialize(TOPIC,
                        converter.fromConnectData(TOPIC, connect.schema(), connect.value()));
                assertEquals(current, writtenBack.getSchema(), "written back as the current version");
                for (Schema.Field field : released.getFields()) {
                    assertEquals(String.valueOf(old.get(field.name())), String.valueOf(writtenBack.get(field.name())),
                            released.getFullName() + "." + field.name() + " kept its value");
                }
            }
        }
    }

    @Test
    void aDeadLetterOfRelease010ReadsWithReasonUnknown() throws IOException {
        Schema released = historySchemas().stream()
                .filter(s -> s.getFullName().equals(DeadLetter.getClassSchema().getFullName())).findFirst().orElseThrow();
        GenericRecord old = randomRecords(released, 3).get(0);

        Struct struct = (Struct) converter(Map.of()).toConnectData(TOPIC, new GenericAvroSerde().serialize(TOPIC, old))
                .value();

        assertEquals("UNKNOWN", struct.get("reason"));
        assertEquals(old.get("errorMessage").toString(), struct.get("errorMessage"));
    }

    @Test
    void aNewerVersionIsReadFromAHistoryDirectoryAndOnlyFromThere(@TempDir Path historyDir) throws IOException {
        Schema newer = newerVideoFrame();
        Files.writeString(historyDir.resolve("VideoFrame-next.avsc"), newer.toString(true));
        GenericRecord record = randomRecords(newer, 5).get(0);
        byte[] bytes = new AvroSerde<GenericRecord>(newer, GenericData.get()).serialize("frames", record);

        DataException unknown = assertThrows(DataException.class, () -> converter(Map.of()).toConnectData("frames", bytes));
        assertTrue(unknown.getMessage().contains("unknown schema fingerprint")
                && unknown.getMessage().contains(AvroSerdeConfig.SCHEMA_HISTORY_DIRS), unknown.getMessage());

        Struct struct = (Struct) converter(Map.of(AvroSerdeConfig.SCHEMA_HISTORY_DIRS, historyDir.toString()))
                .toConnectData("frames", bytes).value();
        assertEquals(record.get("cameraId").toString(), struct.get("cameraId"));
        assertNull(struct.schema().field("site"), "read as this build's VideoFrame, which has no site yet");
    }

    @Test
    void registryFormatRecordsComeBackThroughTheRegistry() throws IOException {
        try (RegistryStub registry = new RegistryStub()) {
            Map<String, Object> configs = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
            AvroSerde<FrameDetections> serde = AvroSerdes.frameDetections();
            serde.configure(configs, false);
            FrameDetections detections = TestRecords.frameDetections();
            byte[] bytes = serde.serialize("detections", detections);
            assertEquals(0, bytes[0], "registry wire format");
            AvroConverter converter = converter(configs);

            SchemaAndValue connect = converter.toConnectData("detections", bytes);
            byte[] writtenBack = converter.fromConnectData("detections", connect.schema(), connect.value());

            assertArrayEquals(bytes, writtenBack, "the same schema id and body");
            assertEquals(detections, serde.deserialize("detections", writtenBack));
        }
    }

    /** VideoFrame as a later release might write it: one more field, with a default. */
    private static Schema newerVideoFrame() {
        Schema current = VideoFrame.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        current.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field("site", SchemaBuilder.builder().stringType(), "Where the camera is.", ""));
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    /** The older versions the history indexes list: the schemas jar's releases and its test-jar's fixture. */
    private static List<Schema> historySchemas() throws IOException {
        ClassLoader loader = AvroConverterRoundTripTest.class.getClassLoader();
        List<Schema> schemas = new ArrayList<>();
        for (var indexes = loader.getResources(HISTORY_INDEX); indexes.hasMoreElements(); ) {
            var index = indexes.nextElement();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(index.openStream(), StandardCharsets.UTF_8))) {
                for (String line : reader.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).toList()) {
                    try (InputStream in = loader.getResourceAsStream(line)) {
                        schemas.add(new Schema.Parser().parse(in));
                    }
                }
            }
        }
        return schemas;
    }
}
