package io.emostream.schemas.serde;

import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.DeadLetterReason;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * DeadLetter gained its {@code reason} code after release 0.1.0: records cross that change in both directions, and
 * a code newer than the reader's schema reads as the enum's default. The released schema is the one shipped in the
 * main classpath's schema history.
 */
class DeadLetterEvolutionTest {
    private static final Schema RELEASED = TestRecords.schema("/io/emostream/schemas/history/DeadLetter-0.1.0.avsc");

    private static GenericRecordBuilder deadLetter(Schema schema) {
        return new GenericRecordBuilder(schema)
                .set("topic", "frames").set("partition", 2).set("offset", 77L)
                .set("key", ByteBuffer.wrap(new byte[]{'c'})).set("value", ByteBuffer.wrap(new byte[]{9, 8}))
                .set("errorClass", "InferenceException").set("errorMessage", "request timed out")
                .set("stage", "detect").set("timestamp", 1_000L);
    }

    @Test
    void deadLetterWrittenWithTheReleasedSchemaIsReadWithReasonUnknown() {
        byte[] bytes = new AvroSerde<GenericRecord>(RELEASED, GenericData.get())
                .serialize("frames-dlq", deadLetter(RELEASED).build());

        DeadLetter read = new DeadLetterSerde().deserialize("frames-dlq", bytes);

        assertEquals(DeadLetterReason.UNKNOWN, read.getReason(), "the new field takes its default");
        assertEquals("detect", read.getStage());
        assertEquals(77L, read.getOffset());
        assertEquals("request timed out", read.getErrorMessage());
        assertEquals(ByteBuffer.wrap(new byte[]{9, 8}), read.getValue());
    }

    @Test
    void releasedReaderGivenTheNewSchemaReadsItsOwnFieldsAndIgnoresTheReason(@TempDir Path schemas)
            throws IOException {
        AvroSerde<GenericRecord> releasedReader = TestRecords.knowing(new AvroSerde<>(RELEASED, GenericData.get()),
                DeadLetter.getClassSchema(), schemas);
        DeadLetter current = TestRecords.deadLetter();

        GenericRecord read = releasedReader.deserialize("frames-dlq",
                new DeadLetterSerde().serialize("frames-dlq", current));

        assertNull(read.getSchema().getField("reason"), "the released reader sees its own fields only");
        assertEquals(current.getErrorClass(), read.get("errorClass").toString());
        assertEquals(current.getStage(), read.get("stage").toString());
        assertEquals(current.getOffset(), read.get("offset"));
        assertEquals(current.getValue(), read.get("value"));
    }

    @Test
    void reasonCodeNewerThanTheReaderReadsAsUnknown(@TempDir Path schemas) throws IOException {
        Schema newer = new Schema.Parser().parse(DeadLetter.getClassSchema().toString()
                .replace("\"MODEL_CLOSED\",", "\"MODEL_CLOSED\",\"GPU_LOST\","));
        Schema reason = newer.getField("reason").schema();
        DeadLetterSerde reader = TestRecords.knowing(new DeadLetterSerde(), newer, schemas);
        byte[] bytes = new AvroSerde<GenericRecord>(newer, GenericData.get()).serialize("frames-dlq",
                deadLetter(newer).set("reason", new GenericData.EnumSymbol(reason, "GPU_LOST")).build());

        DeadLetter read = reader.deserialize("frames-dlq", bytes);

        assertEquals(DeadLetterReason.UNKNOWN, read.getReason());
        assertEquals("detect", read.getStage());
    }
}
