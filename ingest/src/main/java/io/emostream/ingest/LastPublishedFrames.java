package io.emostream.ingest;

import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The last frame each camera has in the frames topic, read back from the tail of the camera's partition (the one
 * Kafka's default partitioner gives its key). The topic is the record of what was published, so this is right after
 * a {@code kill -9} too, whatever was in flight, and an ingest needs no disk of its own. The search goes back from
 * the end in growing steps, up to {@code lookback} records per partition, and reads only the partitions of the
 * cameras asked for.
 */
final class LastPublishedFrames {
    private static final Logger log = LoggerFactory.getLogger(LastPublishedFrames.class);
    private static final int FIRST_STEP = 64;

    private LastPublishedFrames() { }

    /** Camera id to its last frame in the topic; cameras with none within the lookback are left out. */
    static Map<String, VideoFrame> find(Properties clientProps, String topic, Collection<String> cameraIds,
                                       int lookback, Duration timeout) {
        Properties props = new Properties();
        clientProps.stringPropertyNames().stream().filter(ConsumerConfig.configNames()::contains)
                .forEach(k -> props.put(k, clientProps.getProperty(k)));
        props.remove(ConsumerConfig.CLIENT_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1, timeout.toMillis())));
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1, timeout.toMillis())));
        Map<String, VideoFrame> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            int partitions = consumer.partitionsFor(topic, timeout).size();
            Map<Integer, Set<String>> byPartition = new HashMap<>();
            for (String id : cameraIds) {
                byte[] key = id.getBytes(StandardCharsets.UTF_8);
                byPartition.computeIfAbsent(Utils.toPositive(Utils.murmur2(key)) % partitions, p -> new HashSet<>())
                        .add(id);
            }
            byPartition.forEach((partition, ids) -> found.putAll(
                    lastIn(consumer, new TopicPartition(topic, partition), ids, lookback, timeout)));
        } catch (KafkaException e) {
            throw new IngestException("cannot read the last published frames of topic " + topic
                    + " to resume from: " + e.getMessage(), e);
        }
        return found;
    }

    private static Map<String, VideoFrame> lastIn(KafkaConsumer<String, byte[]> consumer, TopicPartition tp,
                                                  Set<String> ids, int lookback, Duration timeout) {
        consumer.assign(List.of(tp));
        long begin = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
        long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
        long floor = Math.max(begin, end - lookback);
        Map<String, ConsumerRecord<String, byte[]>> last = new HashMap<>();
        long upper = end;
        for (long step = FIRST_STEP; upper > floor && last.size() < ids.size(); step *= 4) {
            long from = Math.max(floor, upper - step);
            Map<String, ConsumerRecord<String, byte[]>> inWindow = new HashMap<>();
            consumer.seek(tp, from);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(tp) < upper) {
                if (System.nanoTime() > deadline) {
                    throw new IngestException("reading " + tp + " back to resume from took over "
                            + timeout.toSeconds() + " s; check that the brokers are up");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < upper && ids.contains(r.key())) inWindow.put(r.key(), r);
                }
            }
            inWindow.forEach(last::putIfAbsent); // a later window's record is newer
            upper = from;
        }
        Deserializer<VideoFrame> frames = AvroSerdes.videoFrame().deserializer();
        Map<String, VideoFrame> out = new HashMap<>();
        last.forEach((id, r) -> {
            try {
                out.put(id, frames.deserialize(tp.topic(), r.value()));
            } catch (SerializationException e) {
                log.warn("camera {}: its last record in {} (offset {}) is not a VideoFrame; it starts afresh: {}",
                        id, tp, r.offset(), e.getMessage());
            }
        });
        return out;
    }
}
