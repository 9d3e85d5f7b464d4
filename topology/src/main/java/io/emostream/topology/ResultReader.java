package io.emostream.topology;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.analytics.CameraAnalytics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Reads an emostream application's topics from their beginning (or from a time, {@link #seekTo}) and hands each
 * record, decoded with the project's serdes, to a {@link Handler}. It reads read_committed, so under exactly_once_v2 it sees only committed results,
 * and with a consumer of its own (assigned partitions, no group, nothing committed), so it never disturbs the
 * application or another reader.
 */
public final class ResultReader implements AutoCloseable {
    /** The topics of {@link Topics} and {@link CameraAnalytics.Topics}, to choose which a reader reads. */
    public enum Kind {
        FRAMES, DETECTIONS, SEGMENTATIONS, DEAD_LETTERS, TRACKS, FRAME_ANALYTICS, FRAME_OCCUPANCY, CAMERA_STATS,
        /** The accepted camera configurations (the compacted topic every instance reads as a global table). */
        CAMERA_CONFIGS;

        /** The topic of this kind in an application's configuration. */
        public String topic(EmoStreamConfig config) {
            return topic(config.topics(), config.analyticsTopics());
        }

        /** The topic, or null when it is an analytics topic and {@code analytics} is null. */
        String topic(Topics topics, CameraAnalytics.Topics analytics) {
            return switch (this) {
                case FRAMES -> topics.frames();
                case DETECTIONS -> topics.detections();
                case SEGMENTATIONS -> topics.segmentations();
                case DEAD_LETTERS -> topics.deadLetters();
                case TRACKS -> analytics == null ? null : analytics.tracks();
                case FRAME_ANALYTICS -> analytics == null ? null : analytics.frameAnalytics();
                case FRAME_OCCUPANCY -> analytics == null ? null : analytics.frameOccupancy();
                case CAMERA_STATS -> analytics == null ? null : analytics.cameraStats();
                case CAMERA_CONFIGS -> analytics == null ? null : analytics.cameraConfigAccepted();
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

        /** A frame's tracks: one record per frame with detections. */
        default void tracks(FrameTracks tracks) { }

        /** A frame's zone and line analytics: one record per frame with tracks. */
        default void frameAnalytics(FrameAnalytics analytics) { }

        /** A frame's segmentation occupancy: one record per frame with a segmentation. */
        default void occupancy(FrameOccupancy occupancy) { }

        /** A window of camera statistics (a final one, or an update when the application emits them). */
        default void cameraStats(CameraStats stats) { }

        /** A camera's accepted zones and lines; null when a tombstone removed them. */
        default void cameraConfig(String cameraId, CameraConfig config) { }
    }

    /** How far a {@link #readToEnd} has come, after each poll. */
    public interface Progress {
        /** {@code done} of {@code total} offsets read, over every partition; done == total at the end. */
        void read(long done, long total);
    }

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_WAIT = Duration.ofMillis(100);
    /** Frames are large messages: the embedded broker takes up to 16 MiB. */
    private static final int MAX_PARTITION_FETCH_BYTES = 16 * 1024 * 1024;

    private final Map<String, Kind> kinds = new HashMap<>();
    private final Handler handler;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<VideoFrame> frames = AvroSerdes.videoFrame().deserializer();
    private final Deserializer<FrameDetections> detections = AvroSerdes.frameDetections().deserializer();
    private final Deserializer<FrameSegmentation> segmentations = AvroSerdes.frameSegmentation().deserializer();
    private final Deserializer<DeadLetter> deadLetters = AvroSerdes.deadLetter().deserializer();
    private final Deserializer<FrameTracks> tracks = AvroSerdes.frameTracks().deserializer();
    private final Deserializer<FrameAnalytics> frameAnalytics = AvroSerdes.frameAnalytics().deserializer();
    private final Deserializer<FrameOccupancy> occupancy = AvroSerdes.frameOccupancy().deserializer();
    private final Deserializer<CameraStats> cameraStats = AvroSerdes.cameraStats().deserializer();
    private final Deserializer<CameraConfig> cameraConfigs = AvroSerdes.cameraConfig().deserializer();

    /**
     * Reads the chosen topics of an application's configuration, the analytics topics included, from the cluster
     * at {@code bootstrapServers} without authentication.
     *
     * @throws IllegalStateException when a chosen topic does not exist
     */
    public ResultReader(String bootstrapServers, EmoStreamConfig config, Set<Kind> read, Handler handler) {
        this(plain(bootstrapServers), config.topics(), config.analyticsTopics(), read, handler);
    }

    /**
     * Reads the chosen topics of an application's configuration with the consumer settings {@code client}
     * ({@code bootstrap.servers} and the security settings, e.g. {@code EmoStreamAppConfig.readerProperties}).
     *
     * @throws IllegalStateException when a chosen topic does not exist
     */
    public ResultReader(Map<String, Object> client, EmoStreamConfig config, Set<Kind> read, Handler handler) {
        this(client, config.topics(), config.analyticsTopics(), read, handler);
    }

    /**
     * Reads the chosen topics of {@code topics}; no analytics kind can be chosen.
     *
     * @throws IllegalStateException when a chosen topic does not exist
     */
    public ResultReader(String bootstrapServers, Topics topics, Set<Kind> read, Handler handler) {
        this(plain(bootstrapServers), topics, null, read, handler);
    }

    /** Assigns every partition of the chosen topics, from their beginning. */
    private ResultReader(Map<String, Object> client, Topics topics, CameraAnalytics.Topics analytics,
                         Set<Kind> read, Handler handler) {
        Objects.requireNonNull(topics, "topics");
        this.handler = Objects.requireNonNull(handler, "handler");
        for (Kind kind : read) {
            String topic = kind.topic(topics, analytics);
            if (topic == null) {
                throw new IllegalArgumentException("cannot read " + kind + " without the analytics topics: build "
                        + "the reader from the application's EmoStreamConfig");
            }
            kinds.put(topic, kind);
        }
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(MAX_PARTITION_FETCH_BYTES));
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : kinds.keySet()) {
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

    private static Map<String, Object> plain(String bootstrapServers) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers,
                "bootstrapServers"));
    }

    /** Hands over what arrives within {@code wait}; returns the number of records read. */
    public int poll(Duration wait) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
            n++;
            String topic = r.topic();
            switch (kinds.get(topic)) {
                case FRAMES -> frame(r);
                case DETECTIONS -> handler.detections(detections.deserialize(topic, r.value()), writtenMs(r));
                case SEGMENTATIONS -> handler.segmentation(segmentations.deserialize(topic, r.value()), writtenMs(r));
                case DEAD_LETTERS -> handler.deadLetter(deadLetters.deserialize(topic, r.value()));
                case TRACKS -> handler.tracks(tracks.deserialize(topic, r.value()));
                case FRAME_ANALYTICS -> handler.frameAnalytics(frameAnalytics.deserialize(topic, r.value()));
                case FRAME_OCCUPANCY -> handler.occupancy(occupancy.deserialize(topic, r.value()));
                case CAMERA_STATS -> handler.cameraStats(cameraStats.deserialize(topic, r.value()));
                case CAMERA_CONFIGS -> handler.cameraConfig(r.key() == null ? null
                        : new String(r.key(), StandardCharsets.UTF_8),
                        r.value() == null ? null : cameraConfigs.deserialize(topic, r.value()));
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

    /**
     * Polls until everything written to the chosen topics before this call has been read: each partition's position
     * has reached its end offset of that moment (under read_committed, the last stable offset).
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean pollToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), timeout);
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
            if (System.nanoTime() > deadline) return false;
            poll(POLL_WAIT);
        }
        return true;
    }

    /**
     * Moves every partition of these kinds to its first record stamped at or after {@code time} (to its end when there
     * is none), so that a read of a time range skips what came before it. Right for the topics whose records are
     * stamped no earlier than their frame's capture time: the ingest stamps frames with it, and the application's
     * results and dead letters keep their frame's stamp.
     */
    public void seekTo(Instant time, Set<Kind> chosen) {
        Map<TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition p : consumer.assignment()) {
            if (chosen.contains(kinds.get(p.topic()))) query.put(p, time.toEpochMilli());
        }
        consumer.offsetsForTimes(query, METADATA_TIMEOUT).forEach((p, found) -> {
            if (found == null) {
                consumer.seekToEnd(List.of(p));
            } else {
                consumer.seek(p, found.offset());
            }
        });
    }

    /**
     * Polls until everything written to the chosen topics before this call has been read, as {@link #pollToEnd},
     * telling {@code progress} after each poll; for long reads, it gives up only when nothing arrives for
     * {@code stallTimeout}.
     *
     * @return false when it gave up
     */
    public boolean readToEnd(Duration stallTimeout, Progress progress) {
        Set<TopicPartition> partitions = consumer.assignment();
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, METADATA_TIMEOUT);
        Map<TopicPartition, Long> starts = new HashMap<>();
        partitions.forEach(p -> starts.put(p, consumer.position(p, METADATA_TIMEOUT)));
        long total = partitions.stream().mapToLong(p -> Math.max(0, ends.get(p) - starts.get(p))).sum();
        long lastRecord = System.nanoTime();
        while (true) {
            long done = partitions.stream().mapToLong(p -> Math.max(0,
                    Math.min(consumer.position(p, METADATA_TIMEOUT), ends.get(p)) - starts.get(p))).sum();
            progress.read(done, total);
            if (done >= total) return true;
            if (poll(POLL_WAIT) > 0) {
                lastRecord = System.nanoTime();
            } else if (System.nanoTime() - lastRecord > stallTimeout.toNanos()) {
                return false;
            }
        }
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
