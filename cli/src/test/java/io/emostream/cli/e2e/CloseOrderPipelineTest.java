package io.emostream.cli.e2e;

import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.Topics;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On the real embedded broker: the plugin's {@code EmoStreams} closed before Kafka Streams, mid-stream, loses no
 * frame, because each running processor holds its own handle on the models.
 */
class CloseOrderPipelineTest {
    private static final int PARTITIONS = 2;
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(180);
    @RegisterExtension
    static final BrokerWithTestModels kafka = new BrokerWithTestModels();

    @TempDir
    static Path stateDir;

    @Test
    void closingEmoStreamsBeforeKafkaStreamsMidStreamStillGivesEveryLaterFrameItsResultsAndNoDeadLetter()
            throws Exception {
        EmoStreamAppConfig config = new EmoStreamAppConfig(settings("close-order"));
        Topics topics = config.topics();
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.ensure(admin, config);
        }
        List<String> cameras = TestFrames.camerasOnDistinctPartitions(PARTITIONS, PARTITIONS);
        byte[] image = TestFrames.jpeg(90);

        try (ResultCollector results = new ResultCollector(kafka.bootstrapServers(), topics);
             EmoStreamApp app = EmoStreamApp.create(config)) {
            app.start();
            produce(topics, cameras, 0, 2, image);
            results.pollUntil(r -> r.detections.size() >= 4 && r.segmentations.size() >= 4, RESULT_TIMEOUT);

            app.emo().close(); // the wrong order, mid-stream: Kafka Streams is still running
            produce(topics, cameras, 2, 4, image);
            results.pollUntil(r -> !r.deadLetters.isEmpty()
                    || (r.detections.size() >= 8 && r.segmentations.size() >= 8), RESULT_TIMEOUT);
            results.drain(Duration.ofSeconds(1));

            assertEquals(List.of(), results.deadLetters.stream().map(d -> d.getStage() + ": " + d.getErrorMessage())
                    .toList(), "no frame became a dead letter");
            Set<String> expected = new TreeSet<>();
            cameras.forEach(camera -> List.of(0, 1, 2, 3).forEach(seq -> expected.add(camera + "#" + seq)));
            assertEquals(expected, results.detections.stream().map(d -> d.getCameraId() + "#" + d.getSequence())
                    .collect(Collectors.toCollection(TreeSet::new)));
            assertEquals(expected, results.segmentations.stream().map(s -> s.getCameraId() + "#" + s.getSequence())
                    .collect(Collectors.toCollection(TreeSet::new)));
            assertEquals(KafkaStreams.State.RUNNING, app.streams().state());
        }
    }

    private static Map<String, String> settings(String name) {
        Map<String, String> s = TestApps.settings(kafka.bootstrapServers(), stateDir, name, PARTITIONS);
        s.putAll(TestModels.settings());
        return s;
    }

    /** Frames {@code fromSeq} (inclusive) to {@code toSeq} (exclusive) of each camera. */
    private static void produce(Topics topics, List<String> cameras, int fromSeq, int toSeq, byte[] image) {
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            for (int seq = fromSeq; seq < toSeq; seq++) {
                for (String camera : cameras) {
                    producer.send(new ProducerRecord<>(topics.frames(), camera, TestFrames.frame(camera, seq, image)));
                }
            }
            producer.flush();
        }
    }
}
