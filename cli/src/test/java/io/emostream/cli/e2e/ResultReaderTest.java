package io.emostream.cli.e2e;

import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.schemas.VideoFrame;
import io.emostream.topology.ResultReader;
import io.emostream.topology.Topics;
import io.emostream.topology.app.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader of an application's topics, on the real embedded broker. */
class ResultReaderTest {
    private static final Topics TOPICS = new Topics("reader-frames", "reader-detections", "reader-segmentations",
            "reader-dlq");
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) kafka.close();
    }

    @Test
    void framesArriveWithTheirOffsetsAndARecordThatIsNoFrameIsReportedAtItsOffset() throws Exception {
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.create(admin, List.of(new NewTopic(TOPICS.frames(), 1, (short) 1)));
        }
        byte[] frame = TestFrames.frame("cam-a", 4, TestFrames.jpeg(30));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPICS.frames(), "cam-a", frame));
            producer.send(new ProducerRecord<>(TOPICS.frames(), "cam-a", "garbage".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

        List<String> seen = new ArrayList<>();
        ResultReader.Handler handler = new ResultReader.Handler() {
            @Override
            public void frame(int partition, long offset, VideoFrame f) {
                seen.add(f.getCameraId() + "#" + f.getSequence() + " at " + partition + "/" + offset);
            }

            @Override
            public void unreadableFrame(int partition, long offset) {
                seen.add("no frame at " + partition + "/" + offset);
            }
        };
        try (ResultReader reader = new ResultReader(kafka.bootstrapServers(), TOPICS,
                EnumSet.of(ResultReader.Kind.FRAMES), handler)) {
            assertTrue(reader.pollUntil(() -> seen.size() >= 2, Duration.ofSeconds(60)), "read " + seen);
        }
        assertEquals(List.of("cam-a#4 at 0/0", "no frame at 0/1"), seen);
    }

    @Test
    void aTopicThatDoesNotExistIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ResultReader(
                kafka.bootstrapServers(), TOPICS, EnumSet.of(ResultReader.Kind.DEAD_LETTERS),
                new ResultReader.Handler() { }));
        assertTrue(e.getMessage().contains("reader-dlq"), e.getMessage());
    }
}
