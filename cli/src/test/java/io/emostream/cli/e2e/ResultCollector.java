package io.emostream.cli.e2e;

import io.emostream.topology.Topics;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads the result topics (read_committed, from the start) and decodes them with the project's serdes. */
final class ResultCollector implements AutoCloseable {
    final List<FrameDetections> detections = new ArrayList<>();
    final List<FrameSegmentation> segmentations = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();

    private final Topics topics;
    private final KafkaConsumer<byte[], byte[]> consumer;

    ResultCollector(String bootstrapServers, Topics topics) {
        this.topics = topics;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.detections(), topics.segmentations(), topics.deadLetters())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until {@code done} holds; fails with the counts so far after {@code timeout}. */
    void pollUntil(Predicate<ResultCollector> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(this)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " with " + this);
            }
            poll(Duration.ofMillis(200));
        }
    }

    /** Keeps polling for {@code period}, to catch any late duplicate. */
    void drain(Duration period) {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < deadline) poll(Duration.ofMillis(200));
    }

    private void poll(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
            if (r.topic().equals(topics.detections())) {
                detections.add(AvroSerdes.frameDetections().deserializer().deserialize(r.topic(), r.value()));
            } else if (r.topic().equals(topics.segmentations())) {
                segmentations.add(AvroSerdes.frameSegmentation().deserializer().deserialize(r.topic(), r.value()));
            } else {
                deadLetters.add(AvroSerdes.deadLetter().deserializer().deserialize(r.topic(), r.value()));
            }
        }
    }

    @Override
    public String toString() {
        return detections.size() + " detections, " + segmentations.size() + " segmentations, "
                + deadLetters.size() + " dead letters";
    }

    @Override
    public void close() {
        consumer.close();
    }
}
