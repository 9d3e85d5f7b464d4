package io.emostream.ingest;

import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.VideoFrame;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/** An encoded frame ready to publish. */
public record EncodedImage(byte[] bytes, int width, int height, ImageEncoding encoding) {
    /**
     * This image as frame {@code sequence} of camera {@code cameraId}. Its ingest time is the capture time until a
     * publisher stamps the time it sends it.
     */
    public VideoFrame frame(String cameraId, long sequence, Instant captured, Map<String, String> metadata) {
        return VideoFrame.newBuilder()
                .setCameraId(cameraId)
                .setSequence(sequence)
                .setCaptureTimestamp(captured)
                .setIngestTimestamp(captured)
                .setWidth(width)
                .setHeight(height)
                .setEncoding(encoding)
                .setImage(ByteBuffer.wrap(bytes))
                .setMetadata(metadata)
                .build();
    }
}
