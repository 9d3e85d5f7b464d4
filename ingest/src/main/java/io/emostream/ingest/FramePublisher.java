package io.emostream.ingest;

import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.Semaphore;

/**
 * Serialises frames and sends them keyed by camera id, with the capture time as the record timestamp. A frame larger
 * than the producer's or the topic's limit is dropped with a warning; each camera bounds its own in-flight sends.
 */
final class FramePublisher {
    private static final Logger log = LoggerFactory.getLogger(FramePublisher.class);
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final int maxRecordBytes;
    private final Serializer<VideoFrame> serializer = AvroSerdes.videoFrame().serializer();

    FramePublisher(Producer<String, byte[]> producer, String topic, int maxRecordBytes) {
        this.producer = producer;
        this.topic = topic;
        this.maxRecordBytes = maxRecordBytes;
    }

    void publish(VideoFrame frame, CameraStats stats, Semaphore inFlight) throws InterruptedException {
        frame.setIngestTimestamp(Instant.now());
        byte[] value = serializer.serialize(topic, frame);
        if (value.length > maxRecordBytes) {
            tooLarge(frame, stats, value.length + " bytes, the limit is " + maxRecordBytes);
            return;
        }
        inFlight.acquire();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null,
                frame.getCaptureTimestamp().toEpochMilli(), frame.getCameraId(), value);
        try {
            producer.send(record, (metadata, error) -> {
                inFlight.release();
                if (error == null) {
                    stats.published.incrementAndGet();
                    stats.bytes.addAndGet(value.length);
                } else if (error instanceof RecordTooLargeException) {
                    tooLarge(frame, stats, error.getMessage());
                } else {
                    failed(frame, stats, error);
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            failed(frame, stats, e);
        }
    }

    private static void tooLarge(VideoFrame frame, CameraStats stats, String detail) {
        if (!worthLogging(stats.droppedTooLarge.incrementAndGet())) return;
        log.warn("camera {}: frame {} dropped, too large for Kafka ({}); lower --max-side or --jpeg-quality, "
                + "or raise the topic's max.message.bytes", frame.getCameraId(), frame.getSequence(), detail);
    }

    /** The first of a kind and every 100th after it: a persistent problem must not flood the log. */
    private static boolean worthLogging(long count) {
        return count == 1 || count % 100 == 0;
    }

    private static void failed(VideoFrame frame, CameraStats stats, Exception error) {
        long failures = stats.failed.incrementAndGet();
        if (failures == 1) stats.error = "publishing failed: " + error.getMessage();
        if (!worthLogging(failures)) return;
        log.warn("camera {}: frame {} not published: {}", frame.getCameraId(), frame.getSequence(), error.getMessage());
    }
}
