package io.emostream.topology.app;

import io.emostream.topology.EmoStreamConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run application's own settings and what it hands Kafka Streams. */
class EmoStreamAppSettingsTest {
    private static final String PRODUCER_LINGER = StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);

    private static Map<String, Object> streamsProperties(Map<String, String> settings) {
        return new EmoStreamAppConfig(settings).streamsProperties();
    }

    /** What Kafka Streams hands its producers. */
    private static String producerLinger(Map<String, Object> props) {
        return String.valueOf(new StreamsConfig(props).getProducerConfigs("c").get(ProducerConfig.LINGER_MS_CONFIG));
    }

    @Test
    void producersLingerFiveMillisecondsByDefault() {
        Map<String, Object> props = streamsProperties(Map.of("bootstrap.servers", "h:1"));
        assertEquals(5L, props.get(PRODUCER_LINGER));
        assertEquals("5", producerLinger(props));
        assertEquals("emostream", props.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    @Test
    void aConfiguredLingerWinsOverTheDefault() {
        Map<String, Object> prefixed = streamsProperties(Map.of("bootstrap.servers", "h:1", PRODUCER_LINGER, "50"));
        assertEquals(50L, prefixed.get(PRODUCER_LINGER));
        Map<String, Object> plain = streamsProperties(Map.of("bootstrap.servers", "h:1", "linger.ms", "20"));
        assertFalse(plain.containsKey(PRODUCER_LINGER));
        assertEquals("20", producerLinger(plain));
    }

    /** What Kafka Streams hands its main consumer. */
    private static Map<String, Object> mainConsumer(Map<String, Object> props) {
        return new StreamsConfig(props).getMainConsumerConfigs("g", "c", 0);
    }

    @Test
    void theMainConsumerEndsASilentMembersSessionAfterTenSecondsAndHeartbeatsEveryThree() {
        Map<String, Object> consumer = mainConsumer(streamsProperties(Map.of("bootstrap.servers", "h:1")));
        assertEquals("10000", String.valueOf(consumer.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)));
        assertEquals("3000", String.valueOf(consumer.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)));
    }

    @Test
    void aPlainSessionTimeoutWinsOverTheDefaultAndAPrefixedOneOverAPlainOne() {
        Map<String, Object> plain = mainConsumer(streamsProperties(Map.of("bootstrap.servers", "h:1",
                "session.timeout.ms", "45000")));
        assertEquals("45000", String.valueOf(plain.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)));
        Map<String, Object> both = mainConsumer(streamsProperties(Map.of("bootstrap.servers", "h:1",
                "session.timeout.ms", "45000", EmoStreamAppConfig.CONSUMER_SESSION_TIMEOUT_MS, "6000")));
        assertEquals("6000", String.valueOf(both.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)));
    }

    @Test
    void theApplicationsOwnKeysDoNotReachKafkaStreams() {
        Map<String, Object> props = streamsProperties(Map.of("bootstrap.servers", "h:1",
                EmoStreamAppConfig.TOPICS_PARTITIONS, "8", EmoStreamConfig.BATCH_MAX_SIZE, "2"));
        assertFalse(props.containsKey(EmoStreamAppConfig.TOPICS_PARTITIONS));
        assertFalse(props.containsKey(EmoStreamConfig.BATCH_MAX_SIZE));
        assertEquals("h:1", props.get("bootstrap.servers"));
    }

    @Test
    void thePluginDefinesNoKeyOfTheApplicationAndTheApplicationDefinesEveryKeyOfThePlugin() {
        Set<String> plugin = EmoStreamConfig.CONFIG.names();
        Set<String> own = EmoStreamAppConfig.OWN_CONFIG.names();
        assertTrue(Collections.disjoint(plugin, own), () -> "in both: " + own);
        Set<String> union = new HashSet<>(plugin);
        union.addAll(own);
        assertEquals(union, EmoStreamAppConfig.CONFIG.names());
    }
}
