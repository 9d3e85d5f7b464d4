package io.emostream.cli.embedded;

import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.VideoFrameSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded broker is a real Kafka: records go through it with the project's serde and come back intact. */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a guard against hangs, not a timing assertion
class EmbeddedKafkaTest {
    private static final String TOPIC = "frames";
    private static final int CAMERAS = 6;
    private static final int FRAMES_PER_CAMERA = 40;

    private static VideoFrame frame(String camera, long sequence) {
        Random random = new Random(camera.hashCode() * 31L + sequence);
        byte[] image = new byte[2_000 + random.nextInt(30_000)];
        random.nextBytes(image);
        return VideoFrame.newBuilder().setCameraId(camera).setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(1_790_000_000_000L + sequence * 40))
                .setIngestTimestamp(Instant.ofEpochMilli(1_790_000_000_005L + sequence * 40))
                .setWidth(320).setHeight(240).setEncoding(ImageEncoding.JPEG).setImage(ByteBuffer.wrap(image))
                .setMetadata(Map.of("source", "test://" + camera)).build();
    }

    @Test
    void videoFramesComeBackIntactAndInOrderPerCameraThroughFourPartitions() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic(TOPIC, 4);
            Map<String, List<VideoFrame>> sent = new HashMap<>();
            try (KafkaProducer<String, VideoFrame> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    // Configured by class name, as users do.
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, VideoFrameSerde.class.getName()))) {
                for (long seq = 0; seq < FRAMES_PER_CAMERA; seq++) {
                    for (int c = 0; c < CAMERAS; c++) {
                        VideoFrame frame = frame("cam-" + c, seq);
                        sent.computeIfAbsent(frame.getCameraId(), k -> new ArrayList<>()).add(frame);
                        producer.send(new ProducerRecord<>(TOPIC, frame.getCameraId(), frame));
                    }
                }
                producer.flush();
            }

            Map<String, List<VideoFrame>> received = new HashMap<>();
            Map<String, Set<Integer>> partitions = new HashMap<>();
            try (KafkaConsumer<String, VideoFrame> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "embedded-kafka-test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, VideoFrameSerde.class.getName()))) {
                consumer.subscribe(List.of(TOPIC));
                int total = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (total < CAMERAS * FRAMES_PER_CAMERA && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, VideoFrame> record : consumer.poll(Duration.ofMillis(500))) {
                        assertEquals(record.key(), record.value().getCameraId());
                        received.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                        partitions.computeIfAbsent(record.key(), k -> new HashSet<>()).add(record.partition());
                        total++;
                    }
                }
            }

            assertEquals(sent.keySet(), received.keySet());
            for (String camera : sent.keySet()) {
                // Equal lists: every record intact (image bytes included) and in the order it was sent.
                assertEquals(sent.get(camera), received.get(camera), camera);
                assertEquals(1, partitions.get(camera).size(), camera + " stays in one partition");
            }
            Set<Integer> used = new HashSet<>();
            partitions.values().forEach(used::addAll);
            assertTrue(used.size() > 1, "cameras spread over the partitions: " + used);
            try (var admin = kafka.admin()) {
                assertEquals(4, admin.describeTopics(List.of(TOPIC)).allTopicNames().get()
                        .get(TOPIC).partitions().size());
            }
        }
    }

    @Test
    void closeRemovesTheDataDirectory() throws Exception {
        Path dataDir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("scratch", 1);
            try (var admin = kafka.admin()) {
                int node = admin.describeCluster().nodes().get().iterator().next().id();
                String logDir = admin.describeLogDirs(List.of(node)).allDescriptions().get()
                        .get(node).keySet().iterator().next();
                dataDir = Path.of(logDir).getParent();
            }
            assertTrue(Files.isDirectory(dataDir.resolve("logs")), "the broker writes under " + dataDir);
            assertTrue(dataDir.getFileName().toString().startsWith("emostream-kafka-"), dataDir.toString());
        }
        assertFalse(Files.exists(dataDir), dataDir + " still exists after close");
    }
}
