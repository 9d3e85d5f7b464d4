package io.emostream.ingest;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Collection;
import java.util.Map;
import java.util.Properties;

/** Producer settings for frames: large messages, no duplicates, no loss; the user's properties win. */
public final class ProducerSettings {
    /** Avro framing, key, metadata and record-batch overhead on top of the image bytes. */
    static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    private ProducerSettings() { }

    public static Properties forFrames(String bootstrapServers, Collection<CameraConfig> cameras, Map<String, String> overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // Images are already compressed; a short linger lets frames of several cameras share a request.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(1024 * 1024));
        int maxRequest = largestFrameBytes(cameras) + RECORD_OVERHEAD_BYTES;
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(maxRequest));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(Math.max(64L * 1024 * 1024, 4L * maxRequest)));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "emostream-ingest");
        p.putAll(overrides);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** The largest frame any camera can publish: raw BGR at its maximum size (PNG and JPEG stay below it). */
    static int largestFrameBytes(Collection<CameraConfig> cameras) {
        long max = 0;
        for (CameraConfig c : cameras) max = Math.max(max, 3L * c.maxSide() * c.maxSide() * 101 / 100);
        return (int) Math.min(Integer.MAX_VALUE - RECORD_OVERHEAD_BYTES, max);
    }
}
