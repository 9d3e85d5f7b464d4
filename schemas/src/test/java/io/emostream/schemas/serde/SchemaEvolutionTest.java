package io.emostream.schemas.serde;

import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.VideoFrame;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records cross schema versions in both directions. The older schema is a test fixture: VideoFrame before its
 * {@code metadata} field (which has a default), shipped in the test classpath's schema history the way released
 * versions are.
 */
class SchemaEvolutionTest {
    private static final Schema OLD_VIDEO_FRAME =
            TestRecords.schema("/io/emostream/schemas/history-test/VideoFrame-without-metadata.avsc");

    private static GenericRecord oldFrame() {
        Schema encoding = OLD_VIDEO_FRAME.getField("encoding").schema();
        return new GenericRecordBuilder(OLD_VIDEO_FRAME)
                .set("cameraId", "cam-old").set("sequence", 5L)
                .set("captureTimestamp", 1_000L).set("ingestTimestamp", 1_007L)
                .set("width", 32).set("height", 24)
                .set("encoding", new GenericData.EnumSymbol(encoding, "PNG"))
                .set("image", ByteBuffer.wrap(new byte[]{1, 2, 3, 4}))
                .build();
    }

    @Test
    void recordWrittenWithTheOlderSchemaIsReadByTheCurrentClasses() {
        AvroSerde<GenericRecord> oldWriter = new AvroSerde<>(OLD_VIDEO_FRAME, GenericData.get());
        byte[] bytes = oldWriter.serialize("frames", oldFrame());

        VideoFrame frame = new VideoFrameSerde().deserialize("frames", bytes);

        assertEquals("cam-old", frame.getCameraId());
        assertEquals(5L, frame.getSequence());
        assertEquals(1_007L, frame.getIngestTimestamp().toEpochMilli());
        assertEquals(ByteBuffer.wrap(new byte[]{1, 2, 3, 4}), frame.getImage());
        assertEquals(Map.of(), frame.getMetadata(), "the new field takes its default");
    }

    @Test
    void recordWrittenWithTheCurrentSchemaIsReadByAnOlderReaderGivenTheNewSchema(@TempDir Path schemas)
            throws IOException {
        AvroSerde<GenericRecord> oldReader = TestRecords.knowing(new AvroSerde<>(OLD_VIDEO_FRAME, GenericData.get()),
                VideoFrame.getClassSchema(), schemas);
        VideoFrame current = TestRecords.videoFrame("cam-new", 9, 16);

        GenericRecord read = oldReader.deserialize("frames", new VideoFrameSerde().serialize("frames", current));

        assertEquals("cam-new", read.get("cameraId").toString());
        assertEquals(9L, read.get("sequence"));
        assertEquals(current.getCaptureTimestamp().toEpochMilli(), read.get("captureTimestamp"));
        assertEquals(current.getImage(), read.get("image"));
        assertEquals("JPEG", read.get("encoding").toString());
        assertNull(read.getSchema().getField("metadata"), "the old reader sees its own fields only");
    }

    @Test
    void olderReaderThatWasNotGivenTheNewSchemaSaysWhichFingerprintIsMissing() {
        AvroSerde<GenericRecord> oldReader = new AvroSerde<>(OLD_VIDEO_FRAME, GenericData.get());
        byte[] bytes = new VideoFrameSerde().serialize("frames", TestRecords.videoFrame("c", 1, 4));
        String hex = String.format("0x%016x", SchemaHistory.fingerprint(VideoFrame.getClassSchema()));

        SerializationException e = assertThrows(SerializationException.class,
                () -> oldReader.deserialize("frames", bytes));
        assertTrue(e.getMessage().contains("unknown schema fingerprint " + hex), e.getMessage());
    }

    @Test
    void recordOfAnotherTypeIsRefusedByNameEvenWhenItsSchemaIsKnown(@TempDir Path schemas) throws IOException {
        VideoFrameSerde frames = TestRecords.knowing(new VideoFrameSerde(), FrameDetections.getClassSchema(), schemas);
        byte[] detections = new FrameDetectionsSerde().serialize("detections", TestRecords.frameDetections());

        SerializationException e = assertThrows(SerializationException.class,
                () -> frames.deserialize("frames", detections));
        assertTrue(e.getMessage().contains("written as io.emostream.schemas.FrameDetections"), e.getMessage());
    }

    @Test
    void historyDirectoryThatIsMissingOrHoldsBadSchemasFailsAtConfigure(@TempDir Path dir) throws IOException {
        VideoFrameSerde serde = new VideoFrameSerde();
        ConfigException missing = assertThrows(ConfigException.class, () -> serde.configure(
                Map.of(AvroSerdeConfig.SCHEMA_HISTORY_DIRS, dir.resolve("nope").toString()), false));
        assertTrue(missing.getMessage().contains("not a directory"), missing.getMessage());

        Files.writeString(dir.resolve("broken.avsc"), "{\"type\": \"record\", \"name\": ");
        ConfigException broken = assertThrows(ConfigException.class, () -> serde.configure(
                Map.of(AvroSerdeConfig.SCHEMA_HISTORY_DIRS, dir.toString()), false));
        assertTrue(broken.getMessage().contains("broken.avsc"), broken.getMessage());
        assertFalse(broken.getMessage().isBlank());
    }
}
