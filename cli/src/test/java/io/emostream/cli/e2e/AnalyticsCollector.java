package io.emostream.cli.e2e;

import io.emostream.schemas.CameraStats;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.analytics.CameraAnalytics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Reads an application's detections, tracks, frame analytics, camera stats and dead letters from their beginning
 * (read_committed, assigned partitions, no group), for the assertions of the end-to-end analytics tests.
 */
final class AnalyticsCollector implements AutoCloseable {
    final List<FrameDetections> detections = new ArrayList<>();
    final List<FrameTracks> tracks = new ArrayList<>();
    final List<FrameAnalytics> analytics = new ArrayList<>();
    final List<CameraStats> stats = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();

    private final Map<String, Consumer<byte[]>> byTopic;
    private final KafkaConsumer<byte[], byte[]> consumer;

    AnalyticsCollector(String bootstrapServers, EmoStreamConfig config) {
        CameraAnalytics.Topics analyticsTopics = config.analyticsTopics();
        byTopic = Map.of(
                config.topics().detections(), into(detections, AvroSerdes.frameDetections()),
                analyticsTopics.tracks(), into(tracks, AvroSerdes.frameTracks()),
                analyticsTopics.frameAnalytics(), into(analytics, AvroSerdes.frameAnalytics()),
                analyticsTopics.cameraStats(), into(stats, AvroSerdes.cameraStats()),
                config.topics().deadLetters(), into(deadLetters, AvroSerdes.deadLetter()));
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        byTopic.keySet().forEach(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    private static <T> Consumer<byte[]> into(List<T> list, Deserializer<T> deserializer) {
        return bytes -> list.add(deserializer.deserialize(null, bytes));
    }

    /** Polls until {@code done} holds; fails saying what it waited for when nothing arrives for {@code stall}. */
    void pollUntil(String what, Predicate<AnalyticsCollector> done, Duration stall) {
        long lastRecord = System.nanoTime();
        while (!done.test(this)) {
            if (poll() > 0) {
                lastRecord = System.nanoTime();
            } else if (System.nanoTime() - lastRecord > stall.toNanos()) {
                throw new AssertionError("nothing new for " + stall + " while waiting until " + what + "; read "
                        + this);
            }
        }
    }

    /** Keeps polling for {@code period}, to catch any late duplicate. */
    void drain(Duration period) {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < deadline) poll();
    }

    private int poll() {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            byTopic.get(r.topic()).accept(r.value());
            n++;
        }
        return n;
    }

    /** The distinct frame sequences of {@code camera} among {@code records}. */
    static <T> Set<Long> sequences(List<T> records, String camera, Function<T, String> cameraOf,
                                   Function<T, Long> sequenceOf) {
        return records.stream().filter(r -> camera.equals(cameraOf.apply(r))).map(sequenceOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    Set<Long> trackedFrames(String camera) {
        return sequences(tracks, camera, FrameTracks::getCameraId, FrameTracks::getSequence);
    }

    Set<Long> detectedFrames(String camera) {
        return sequences(detections, camera, FrameDetections::getCameraId, FrameDetections::getSequence);
    }

    Set<Long> analysedFrames(String camera) {
        return sequences(analytics, camera, FrameAnalytics::getCameraId, FrameAnalytics::getSequence);
    }

    @Override
    public String toString() {
        return detections.size() + " detections, " + tracks.size() + " tracks, " + analytics.size()
                + " frame analytics, " + stats.size() + " camera stats, " + deadLetters.size() + " dead letters";
    }

    @Override
    public void close() {
        consumer.close();
    }
}
