package io.emostream.cli.e2e;

import io.emostream.ingest.EncodedImage;
import io.emostream.ingest.FrameEncoder;
import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.utils.Utils;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

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

    /** A WIDTH x HEIGHT JPEG of one colour, encoded as the ingest encodes (OpenCV's default quality). */
    static byte[] jpeg(int shade) {
        try (Mat image = new Mat(HEIGHT, WIDTH, opencv_core.CV_8UC3, new Scalar(shade, 255 - shade, 128, 0))) {
            return new FrameEncoder(WIDTH, ImageEncoding.JPEG, 95).encode(image).bytes();
        }
    }

    /** A serialized VideoFrame that declares {@code image} a WIDTH x HEIGHT JPEG. */
    static byte[] frame(String camera, long sequence, byte[] image) {
        VideoFrame frame = new EncodedImage(image, WIDTH, HEIGHT, ImageEncoding.JPEG)
                .frame(camera, sequence, Instant.now(), Map.of());
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
