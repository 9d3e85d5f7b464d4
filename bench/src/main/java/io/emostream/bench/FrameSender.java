package io.emostream.bench;

import io.emostream.ingest.EncodedImage;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the benchmark's frames: frame {@code index} belongs to camera {@code index % cameras} and goes to the
 * partition of the same number, captured now. A frame the broker did not take fails the run at the next
 * {@link #flush}.
 */
final class FrameSender implements AutoCloseable {
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final KafkaProducer<String, VideoFrame> producer;
    private final String topic;
    private final int cameras;
    private final List<EncodedImage> frames;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    FrameSender(String bootstrapServers, String topic, int cameras, List<EncodedImage> frames) {
        this.topic = topic;
        this.cameras = cameras;
        this.frames = frames;
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // one request in flight: a retried first batch cannot leave later ones out of sequence
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        producer = new KafkaProducer<>(props, new StringSerializer(), AvroSerdes.videoFrame().serializer());
    }

    void send(long index) {
        EncodedImage image = frames.get((int) (index % frames.size()));
        int camera = (int) (index % cameras);
        VideoFrame frame = image.frame(cameraId(camera), index / cameras, Instant.now(), Map.of());
        producer.send(new ProducerRecord<>(topic, camera, cameraId(camera), frame), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /** @throws IllegalStateException when a frame sent so far was not taken */
    void flush() {
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("cannot produce frames to " + topic + ": "
                    + failure.get().getMessage(), failure.get());
        }
    }

    static String cameraId(int camera) {
        return "cam-" + camera;
    }

    @Override
    public void close() {
        producer.close();
    }
}
