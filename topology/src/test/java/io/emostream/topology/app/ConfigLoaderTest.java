package io.emostream.topology.app;

import io.emostream.topology.EmoStreamConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void environmentOverridesTheFileAndFlagsOverrideBoth() throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, """
                batch.max.size=4
                frames.topic=cams
                num.stream.threads=2
                max.frame.age.ms=100
                """);
        Map<String, String> settings = ConfigLoader.load(file,
                Map.of("EMOSTREAM_BATCH_MAX_SIZE", "16", "EMOSTREAM_NUM_STREAM_THREADS", "3",
                        "EMOSTREAM_MAX_FRAME_AGE_MS", "200"),
                Map.of("max.frame.age.ms", "300"));
        EmoStreamConfig config = new EmoStreamConfig(settings);
        assertEquals(16, config.getInt(EmoStreamConfig.BATCH_MAX_SIZE));
        assertEquals("cams", config.topics().frames());
        assertEquals(300L, config.getLong(EmoStreamConfig.MAX_FRAME_AGE_MS));
        assertEquals("3", config.streamsProperties().get("num.stream.threads"), "Kafka keys pass through");
    }

    @Test
    void environmentSetsTheApplicationsOwnKeysToo() {
        Map<String, String> settings = ConfigLoader.load(null, Map.of("EMOSTREAM_TOPICS_PARTITIONS", "12"), Map.of());
        assertEquals(12, new EmoStreamAppConfig(settings).getInt(EmoStreamAppConfig.TOPICS_PARTITIONS));
    }

    @Test
    void unrelatedEnvironmentVariablesAreIgnored() {
        Map<String, String> settings = ConfigLoader.load(null,
                Map.of("EMOSTREAM_DEBUG", "1", "EMOSTREAM_LOG_LEVEL", "DEBUG", "BATCH_MAX_SIZE", "3"), Map.of());
        assertTrue(settings.isEmpty(), settings::toString);
    }

    @Test
    void emostreamKeysDoNotReachKafkaStreams() {
        EmoStreamConfig config = new EmoStreamConfig(Map.of("batch.max.size", "2", "bootstrap.servers", "h:1"));
        assertFalse(config.streamsProperties().containsKey("batch.max.size"));
        assertEquals("h:1", config.streamsProperties().get("bootstrap.servers"));
    }

    @Test
    void missingFileIsAConfigurationError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(dir.resolve("nope.properties"), Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("nope.properties"), e.getMessage());
    }

    @Test
    void invalidValueNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new EmoStreamConfig(Map.of(EmoStreamConfig.EXECUTION_PROVIDER, "tpu")));
        assertTrue(e.getMessage().contains(EmoStreamConfig.EXECUTION_PROVIDER), e.getMessage());
    }
}
