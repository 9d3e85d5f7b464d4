package io.emostream.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The serde of any contract record, and the contract's list of schemas. */
class GenericAvroSerdeTest {

    @Test
    void aRecordWrittenBySpecificSerdeReadsGenericallyAndWritesBackTheSame() {
        FrameDetections detections = TestRecords.frameDetections();
        byte[] bytes = AvroSerdes.frameDetections().serialize("detections", detections);
        GenericAvroSerde serde = new GenericAvroSerde();

        GenericRecord record = serde.deserialize("detections", bytes);

        assertEquals(FrameDetections.getClassSchema(), record.getSchema());
        assertEquals("cam-1", record.get("cameraId"));
        assertEquals(detections.getCaptureTimestamp().toEpochMilli(), record.get("captureTimestamp"));
        assertEquals(detections, AvroSerdes.frameDetections().deserialize("detections", serde.serialize("detections", record)));
    }

    @Test
    void badBytesFailNamingTheProblem() {
        byte[] letter = AvroSerdes.deadLetter().serialize("frames-dlq", TestRecords.deadLetter());
        byte[] truncated = java.util.Arrays.copyOf(letter, letter.length - 4);

        SerializationException e = assertThrows(SerializationException.class,
                () -> new GenericAvroSerde().deserialize("frames-dlq", truncated));

        assertTrue(e.getMessage().contains("frames-dlq") && e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(DeadLetter.getClassSchema(), new GenericAvroSerde().deserialize("frames-dlq", letter).getSchema());
    }

    @Test
    void everyAvscOfTheSourcesIsInTheContractOrNestedInOneOfItsRecords() throws IOException {
        Set<String> known = new HashSet<>();
        AvroContract.schemas().forEach(s -> collectNames(s, known));
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("src/main/avro"))) {
            files = list.filter(p -> p.toString().endsWith(".avsc")).toList();
        }
        assertTrue(files.size() > 10, "found the sources");
        for (Path file : files) {
            JsonNode schema = json.readTree(file.toFile());
            String name = schema.get("namespace").asText() + "." + schema.get("name").asText();
            assertTrue(known.contains(name), file + " (" + name + ") is neither listed in AvroContract nor used by a "
                    + "record listed there");
        }
    }

    private static void collectNames(Schema schema, Set<String> names) {
        switch (schema.getType()) {
            case RECORD -> {
                if (names.add(schema.getFullName())) schema.getFields().forEach(f -> collectNames(f.schema(), names));
            }
            case ENUM, FIXED -> names.add(schema.getFullName());
            case ARRAY -> collectNames(schema.getElementType(), names);
            case MAP -> collectNames(schema.getValueType(), names);
            case UNION -> schema.getTypes().forEach(t -> collectNames(t, names));
            default -> { }
        }
    }
}
