package io.emostream.cli.e2e;

import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.app.EmoStreamAppConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The settings an end-to-end test's application starts from; the test adds its models and its own keys. */
final class TestApps {
    private static final List<String> TOPIC_KEYS = Stream.concat(Stream.of(EmoStreamConfig.FRAMES_TOPIC,
            EmoStreamConfig.DETECTIONS_TOPIC, EmoStreamConfig.SEGMENTATIONS_TOPIC, EmoStreamConfig.DEAD_LETTER_TOPIC),
            CameraAnalytics.TOPIC_KEYS.stream()).toList();

    private TestApps() { }

    /**
     * Application id {@code name}, every topic named {@code <name>-<default name>} so that tests sharing a broker
     * never share a topic, a state directory of its own, one stream thread committing every 100 ms.
     */
    static Map<String, String> settings(String bootstrapServers, Path stateDir, String name, int partitions) {
        Map<String, String> s = new HashMap<>();
        s.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        s.put(StreamsConfig.APPLICATION_ID_CONFIG, name);
        s.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        s.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        s.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(name).toString());
        s.put(EmoStreamAppConfig.TOPICS_PARTITIONS, String.valueOf(partitions));
        for (String key : TOPIC_KEYS) s.put(key, name + "-" + EmoStreamAppConfig.CONFIG.defaultValues().get(key));
        return s;
    }
}
