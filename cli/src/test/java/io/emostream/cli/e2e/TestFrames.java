package io.emostream.cli.e2e;

import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.utils.Utils;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Serialized VideoFrames with real JPEG images, and camera ids chosen to land on distinct partitions. */
final class TestFrames {
    static final int WIDTH = 96;
    static final int HEIGHT = 64;

    private TestFrames() { }

    static byte[] jpeg(int shade) {
        try (Mat image = new Mat(HEIGHT, WIDTH, opencv_core.CV_8UC3, new Scalar(shade, 255 - shade, 128, 0));
             BytePointer out = new BytePointer()) {
            if (!opencv_imgcodecs.imencode(".jpg", image, out)) throw new IllegalStateException("imencode failed");
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    static byte[] frame(String camera, long sequence, byte[] image) {
        long now = System.currentTimeMillis();
        VideoFrame frame = VideoFrame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(now))
                .setIngestTimestamp(Instant.ofEpochMilli(now))
                .setWidth(WIDTH)
                .setHeight(HEIGHT)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(image))
                .setMetadata(Map.of())
                .build();
        return AvroSerdes.videoFrame().serializer().serialize("frames", frame);
    }

    /** {@code count} camera ids whose keys the default partitioner puts on {@code count} different partitions. */
    static List<String> camerasOnDistinctPartitions(int count, int partitions) {
        List<String> cameras = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (int i = 0; cameras.size() < count; i++) {
            String id = "cam-" + i;
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (used.add(partition)) cameras.add(id);
        }
        return cameras;
    }
}
