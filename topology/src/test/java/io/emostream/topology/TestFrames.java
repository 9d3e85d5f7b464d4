package io.emostream.topology;

import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/** Real encoded frames for topology tests. */
final class TestFrames {
    private TestFrames() { }

    static byte[] jpeg(int width, int height) {
        try (Mat image = new Mat(height, width, opencv_core.CV_8UC3, new Scalar(40, 90, 160, 0));
             BytePointer out = new BytePointer()) {
            if (!opencv_imgcodecs.imencode(".jpg", image, out)) throw new IllegalStateException("imencode failed");
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    static VideoFrame frame(String camera, long sequence, long captureMs, int width, int height, byte[] image) {
        return VideoFrame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(captureMs))
                .setIngestTimestamp(Instant.ofEpochMilli(captureMs + 1))
                .setWidth(width)
                .setHeight(height)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(image))
                .setMetadata(Map.of())
                .build();
    }

    static byte[] bytes(VideoFrame frame) {
        return AvroSerdes.videoFrame().serializer().serialize("frames", frame);
    }
}
