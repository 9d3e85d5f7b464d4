package io.emostream.schemas.serde;

import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.VideoFrame;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Bad bytes get a SerializationException that names the problem: never a hang, an OOM or another exception. */
@Timeout(60) // a guard against hangs, not a timing assertion
class BadBytesTest {
    private final VideoFrameSerde serde = new VideoFrameSerde();

    private SerializationException refused(byte[] bytes) {
        SerializationException e = assertThrows(SerializationException.class, () -> serde.deserialize("frames", bytes));
        assertTrue(e.getMessage().startsWith("cannot read VideoFrame from topic frames: "), e.getMessage());
        return e;
    }

    private static void assertMentions(SerializationException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void truncatedRecordIsReportedAsTruncated() {
        byte[] whole = serde.serialize("frames", TestRecords.videoFrame("cam-1", 1, 500));
        for (int length : new int[]{whole.length - 1, whole.length / 2, 20, 9, 2}) {
            assertMentions(refused(Arrays.copyOf(whole, length)), "truncated");
        }
    }

    @Test
    void emptyValueIsRefused() {
        assertMentions(refused(new byte[0]), "empty value");
    }

    @Test
    void randomBytesAreReportedAsABadHeader() {
        byte[] junk = new byte[64];
        new Random(1).nextBytes(junk);
        junk[0] = 0x42;
        assertMentions(refused(junk), "bad header", "not Avro single-object encoding", "42");
    }

    @Test
    void registryFormatBytesPointToTheRegistrySetting() {
        assertMentions(refused(new byte[]{0, 0, 0, 0, 7, 2, 'c'}), "bad header", AvroSerdeConfig.SCHEMA_REGISTRY_URL);
    }

    @Test
    void unknownFingerprintIsNamedInHexWithItsLikelyCause() {
        byte[] bytes = serde.serialize("frames", TestRecords.videoFrame("cam-1", 1, 10));
        long fingerprint = 0x0123456789abcdefL;
        for (int i = 0; i < 8; i++) {
            bytes[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        assertMentions(refused(bytes), "unknown schema fingerprint 0x0123456789abcdef", "newer version",
                "io.emostream.schemas.VideoFrame", AvroSerdeConfig.SCHEMA_HISTORY_DIRS);
    }

    @Test
    void gigabyteLengthPrefixIsRefusedBeforeAllocating() throws IOException {
        // Avro 1.12.1 alone would allocate the claimed 2 GB (an OutOfMemoryError under a smaller heap).
        for (long claimed : new long[]{2_000_000_000L, 5_000_000_000L, Long.MAX_VALUE}) {
            byte[] bytes = videoFrameUpToImage(enc -> enc.writeLong(claimed));
            assertMentions(refused(bytes), "a bytes field claims " + claimed + " bytes but only 3 remain");
        }
        assertMentions(refused(videoFrameUpToImage(enc -> enc.writeLong(-5))), "negative length");
    }

    @Test
    void hugeMapCountIsRefused() throws IOException {
        byte[] bytes = videoFrameUpToImage(enc -> {
            enc.writeBytes(new byte[]{1, 2});
            enc.writeLong(1_000_000_000L); // metadata: entries in the first block
        });
        assertMentions(refused(bytes), "a map claims 1000000000 items");
    }

    @Test
    void hugeArrayCountIsRefused() throws IOException {
        assertMentions(refusedSegmentation(1_000_000_000L), "an array claims 1000000000 items");
        // Beyond 2^31 Avro's own limit answers first, as clearly.
        assertMentions(refusedSegmentation(1L << 40), "collections larger than", "items");
    }

    private static SerializationException refusedSegmentation(long labelCount) throws IOException {
        FrameSegmentationSerde segmentations = new FrameSegmentationSerde();
        ByteArrayOutputStream out = header(FrameSegmentation.getClassSchema());
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        enc.writeString("cam");
        for (int i = 0; i < 4; i++) enc.writeLong(i); // sequence and three timestamps
        for (int i = 0; i < 4; i++) enc.writeInt(8);  // frame and mask sizes
        enc.writeString("m"); enc.writeString("1"); enc.writeBoolean(false); enc.writeString("cpu");
        enc.writeLong(labelCount); // labels: items in the first block
        enc.writeString("x");
        enc.flush();
        return assertThrows(SerializationException.class,
                () -> segmentations.deserialize("segmentations", out.toByteArray()));
    }

    @Test
    void leftoverBytesAfterTheRecordAreRefused() {
        byte[] whole = serde.serialize("frames", TestRecords.videoFrame("cam-1", 1, 10));
        assertMentions(refused(Arrays.copyOf(whole, whole.length + 3)), "3 bytes left over");
    }

    @Test
    void randomBodiesBehindAValidHeaderOnlyEverFailAsSerializationException() {
        Random random = new Random(42);
        byte[] header = serde.serialize("frames", TestRecords.videoFrame("c", 0, 1));
        FrameSegmentationSerde segmentations = new FrameSegmentationSerde();
        byte[] segHeader = segmentations.serialize("s", TestRecords.frameSegmentation());
        for (int i = 0; i < 3000; i++) {
            byte[] body = new byte[random.nextInt(120)];
            random.nextBytes(body);
            tryDecode(serde, withHeader(header, body));
            tryDecode(segmentations, withHeader(segHeader, body));
            tryDecode(serde, body);
        }
    }

    private static byte[] withHeader(byte[] record, byte[] body) {
        byte[] bytes = Arrays.copyOf(record, SingleObjectFormat.HEADER_LENGTH + body.length);
        System.arraycopy(body, 0, bytes, SingleObjectFormat.HEADER_LENGTH, body.length);
        return bytes;
    }

    private static void tryDecode(AvroSerde<?> serde, byte[] bytes) {
        try {
            serde.deserialize("t", bytes);
        } catch (SerializationException expected) {
            // the only acceptable failure
        } catch (Throwable t) {
            fail("escaped as " + t + " for " + Arrays.toString(bytes), t);
        }
    }

    private interface Body {
        void write(BinaryEncoder enc) throws IOException;
    }

    /** A VideoFrame's single-object header and fields up to the image, then {@code rest}, then 3 bytes. */
    private static byte[] videoFrameUpToImage(Body rest) throws IOException {
        ByteArrayOutputStream out = header(VideoFrame.getClassSchema());
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        enc.writeString("cam-1");
        enc.writeLong(1); enc.writeLong(2); enc.writeLong(3); // sequence, capture and ingest timestamps
        enc.writeInt(64); enc.writeInt(48); enc.writeEnum(0);  // width, height, JPEG
        rest.write(enc);
        enc.writeFixed(new byte[]{9, 9, 9});
        enc.flush();
        return out.toByteArray();
    }

    private static ByteArrayOutputStream header(Schema schema) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SingleObjectFormat(SchemaHistory.load(java.util.List.of(schema), java.util.List.of(),
                BadBytesTest.class.getClassLoader()), schema.getFullName()).writeHeader("t", schema, out);
        return out;
    }
}
