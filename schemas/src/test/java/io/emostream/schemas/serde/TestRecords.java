package io.emostream.schemas.serde;

import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.DeadLetterReason;
import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.NormalizedBox;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.RunLengthMask;
import io.emostream.schemas.StageLatencies;
import io.emostream.schemas.VideoFrame;

import org.apache.avro.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Fully populated sample records for the serde tests (and the converter's, through the test-jar), and the schemas of
 * older versions. */
public final class TestRecords {
    private TestRecords() { }

    /** A schema file on the classpath: a released version in the schema history, or a test fixture. */
    static Schema schema(String resource) {
        try (InputStream in = TestRecords.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no schema resource " + resource);
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code serde} configured with a schema history directory that holds {@code known}, as a deployment is given a
     * schema its own classes lack (a newer version, another record type).
     */
    static <S extends AvroSerde<?>> S knowing(S serde, Schema known, Path historyDir) throws IOException {
        Files.writeString(historyDir.resolve(known.getName() + ".avsc"), known.toString(true));
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_HISTORY_DIRS, historyDir.toString()), false);
        return serde;
    }

    public static final Instant CAPTURED = Instant.ofEpochMilli(1_790_000_000_123L);

    public static VideoFrame videoFrame(String camera, long sequence, int imageBytes) {
        byte[] image = new byte[imageBytes];
        new Random(sequence).nextBytes(image);
        return VideoFrame.newBuilder()
                .setCameraId(camera).setSequence(sequence)
                .setCaptureTimestamp(CAPTURED.plusMillis(sequence * 40))
                .setIngestTimestamp(CAPTURED.plusMillis(sequence * 40 + 7))
                .setWidth(64).setHeight(48).setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(image))
                .setMetadata(Map.of("source", "file:///cam/" + camera + ".mp4"))
                .build();
    }

    public static ModelInfo model() {
        return ModelInfo.newBuilder().setName("emo-1m-ssdlite").setVersion("0.1.0").setTrained(false)
                .setExecutionProvider("cpu").build();
    }

    public static StageLatencies latencies() {
        return StageLatencies.newBuilder().setDecodeMs(1.5f).setQueueMs(0.25f).setInferenceMs(12f)
                .setPostprocessMs(0.75f).setBatchSize(4).build();
    }

    public static FrameDetections frameDetections() {
        Detection person = Detection.newBuilder().setClassId(1).setLabel("person").setScore(0.875f)
                .setBox(new PixelBox(10f, 20f, 30f, 40f)).setNormalizedBox(new NormalizedBox(0.1f, 0.2f, 0.3f, 0.4f))
                .build();
        return FrameDetections.newBuilder().setCameraId("cam-1").setSequence(42)
                .setCaptureTimestamp(CAPTURED).setIngestTimestamp(CAPTURED.plusMillis(5))
                .setInferenceTimestamp(CAPTURED.plusMillis(30)).setFrameWidth(640).setFrameHeight(480)
                .setModel(model()).setDetections(List.of(person)).setLatencies(latencies()).build();
    }

    public static FrameSegmentation frameSegmentation() {
        return FrameSegmentation.newBuilder().setCameraId("cam-2").setSequence(7)
                .setCaptureTimestamp(CAPTURED).setIngestTimestamp(CAPTURED.plusMillis(5))
                .setInferenceTimestamp(CAPTURED.plusMillis(30)).setFrameWidth(640).setFrameHeight(480)
                .setMaskWidth(4).setMaskHeight(2).setModel(model()).setLabels(List.of("background", "person"))
                .setMask(new RunLengthMask(List.of(0, 1, 0), List.of(3, 2, 3)))
                .setClassFractions(List.of(new ClassFraction(0, "background", 0.75f), new ClassFraction(1, "person", 0.25f)))
                .setLatencies(latencies()).build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setTopic("frames").setPartition(3).setOffset(1234L)
                .setKey(ByteBuffer.wrap(new byte[]{'c', '1'})).setValue(ByteBuffer.wrap(new byte[]{1, 2, 3}))
                .setReason(DeadLetterReason.CORRUPT_IMAGE).setErrorClass("InvalidImageException").setErrorMessage("JPEG truncated").setStage("decode")
                .setTimestamp(CAPTURED).build();
    }
}
