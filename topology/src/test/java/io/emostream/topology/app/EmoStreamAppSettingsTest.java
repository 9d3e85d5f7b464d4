package io.emostream.topology.app;

import io.emostream.topology.EmoStreamConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class EmoStreamAppSettingsTest {
    private static final String PRODUCER_LINGER = StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);

    private static Map<String, Object> streamsProperties(Map<String, String> settings) {
        return EmoStreamApp.streamsProperties(new EmoStreamConfig(settings));
    }

    /** What Kafka Streams hands its producers. */
    private static String producerLinger(Map<String, Object> props) {
        return String.valueOf(new StreamsConfig(props).getProducerConfigs("c").get(ProducerConfig.LINGER_MS_CONFIG));
    }

    @Test
    void producersLingerFiveMillisecondsByDefault() {
        Map<String, Object> props = streamsProperties(Map.of("bootstrap.servers", "h:1"));
        assertEquals(EmoStreamApp.DEFAULT_PRODUCER_LINGER_MS, props.get(PRODUCER_LINGER));
        assertEquals("5", producerLinger(props));
        assertEquals(EmoStreamApp.DEFAULT_APPLICATION_ID, props.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    @Test
    void aConfiguredLingerWinsOverTheDefault() {
        Map<String, Object> prefixed = streamsProperties(Map.of("bootstrap.servers", "h:1", PRODUCER_LINGER, "50"));
        assertEquals("50", prefixed.get(PRODUCER_LINGER));
        Map<String, Object> plain = streamsProperties(Map.of("bootstrap.servers", "h:1", "linger.ms", "20"));
        assertFalse(plain.containsKey(PRODUCER_LINGER));
        assertEquals("20", producerLinger(plain));
    }
}
