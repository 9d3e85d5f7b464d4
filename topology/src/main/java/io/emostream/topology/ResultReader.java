package io.emostream.topology;

import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Reads an emostream application's topics from their beginning and hands each record, decoded with the project's
 * serdes, to a {@link Handler}. It reads read_committed, so under exactly_once_v2 it sees only committed results,
 * and with a consumer of its own (assigned partitions, no group, nothing committed), so it never disturbs the
 * application or another reader.
 */
public final class ResultReader implements AutoCloseable {
    /** The topics of {@link Topics}, to choose which a reader reads. */
    public enum Kind {
        FRAMES, DETECTIONS, SEGMENTATIONS, DEAD_LETTERS;

        String topic(Topics topics) {
            return switch (this) {
                case FRAMES -> topics.frames();
                case DETECTIONS -> topics.detections();
                case SEGMENTATIONS -> topics.segmentations();
                case DEAD_LETTERS -> topics.deadLetters();
            };
        }
    }

    /**
     * Receives what the reader reads, in each partition's order; implement the kinds you read. {@code writtenMs} is
     * when the broker appended the result (on a topic with LogAppendTime), else when it was read: on a topic that
     * keeps producers' timestamps a result carries its frame's, which says nothing of when it was written.
     */
    public interface Handler {
        /** An input frame, at its partition and offset. */
        default void frame(int partition, long offset, VideoFrame frame) { }

        /** An input record that holds no VideoFrame (the application dead-letters it). */
        default void unreadableFrame(int partition, long offset) { }

        default void detections(FrameDetections result, long writtenMs) { }

        default void segmentation(FrameSegmentation result, long writtenMs) { }

        default void deadLetter(DeadLetter letter) { }
    }

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_WAIT = Duration.ofMillis(100);
    /** Frames are large messages: the embedded broker takes up to 16 MiB. */
    private static final int MAX_PARTITION_FETCH_BYTES = 16 * 1024 * 1024;

    private final Topics topics;
    private final Handler handler;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<VideoFrame> frames = AvroSerdes.videoFrame().deserializer();
    private final Deserializer<FrameDetections> detections = AvroSerdes.frameDetections().deserializer();
    private final Deserializer<FrameSegmentation> segmentations = AvroSerdes.frameSegmentation().deserializer();
    private final Deserializer<DeadLetter> deadLetters = AvroSerdes.deadLetter().deserializer();

    /**
     * Assigns every partition of the chosen topics, from their beginning.
     *
     * @throws IllegalStateException when a chosen topic does not exist
     */
    public ResultReader(String bootstrapServers, Topics topics, Set<Kind> read, Handler handler) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.handler = Objects.requireNonNull(handler, "handler");
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers"),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(MAX_PARTITION_FETCH_BYTES)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Kind kind : read) {
                String topic = kind.topic(topics);
                List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("cannot read topic '" + topic + "': it does not exist");
                }
                infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Hands over what arrives within {@code wait}; returns the number of records read. */
    public int poll(Duration wait) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
            n++;
            String topic = r.topic();
            if (topic.equals(topics.frames())) {
                frame(r);
            } else if (topic.equals(topics.detections())) {
                handler.detections(detections.deserialize(topic, r.value()), writtenMs(r));
            } else if (topic.equals(topics.segmentations())) {
                handler.segmentation(segmentations.deserialize(topic, r.value()), writtenMs(r));
            } else {
                handler.deadLetter(deadLetters.deserialize(topic, r.value()));
            }
        }
        return n;
    }

    /**
     * Polls until {@code done} holds.
     *
     * @return false when nothing arrived for {@code stallTimeout} before it held
     */
    public boolean pollUntil(BooleanSupplier done, Duration stallTimeout) {
        long lastRecord = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (poll(POLL_WAIT) > 0) {
                lastRecord = System.nanoTime();
            } else if (System.nanoTime() - lastRecord > stallTimeout.toNanos()) {
                return false;
            }
        }
        return true;
    }

    private void frame(ConsumerRecord<byte[], byte[]> r) {
        VideoFrame frame = readFrame(r);
        if (frame == null) {
            handler.unreadableFrame(r.partition(), r.offset());
        } else {
            handler.frame(r.partition(), r.offset(), frame);
        }
    }

    /** The frame, or null when the record holds none (corrupt bytes, another schema, no value). */
    private VideoFrame readFrame(ConsumerRecord<byte[], byte[]> r) {
        try {
            return frames.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static long writtenMs(ConsumerRecord<?, ?> r) {
        return r.timestampType() == TimestampType.LOG_APPEND_TIME ? r.timestamp() : System.currentTimeMillis();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
