package io.emostream.topology.app;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Collects the settings of an application, each source overriding the one before: a properties file, environment
 * variables, then command-line flags. An environment variable {@code EMOSTREAM_BATCH_MAX_SIZE} sets
 * {@code batch.max.size}: the prefix dropped, lower case, '_' to '.'; only emostream and Kafka Streams keys are
 * taken from the environment, so unrelated {@code EMOSTREAM_*} variables are ignored.
 */
public final class ConfigLoader {
    public static final String ENV_PREFIX = "EMOSTREAM_";
    private static final Set<String> KNOWN_KEYS = knownKeys();

    private ConfigLoader() { }

    public static Map<String, String> load(Path file, Map<String, String> environment, Map<String, String> flags) {
        Map<String, String> settings = new HashMap<>();
        if (file != null) settings.putAll(read(file));
        settings.putAll(fromEnvironment(environment));
        settings.putAll(flags);
        return settings;
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> settings = new HashMap<>();
        environment.forEach((name, value) -> settingOf(name).ifPresent(key -> settings.put(key, value)));
        return settings;
    }

    /** The emostream or Kafka Streams key an environment variable sets, if any. */
    public static Optional<String> settingOf(String variable) {
        if (!variable.startsWith(ENV_PREFIX)) return Optional.empty();
        String key = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        return KNOWN_KEYS.contains(key) ? Optional.of(key) : Optional.empty();
    }

    private static Set<String> knownKeys() {
        Set<String> known = new HashSet<>(EmoStreamAppConfig.CONFIG.names());
        known.addAll(StreamsConfig.configDef().names());
        return Set.copyOf(known);
    }

    private static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file + " not found");
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> settings = new HashMap<>();
        props.stringPropertyNames().forEach(k -> settings.put(k, props.getProperty(k).trim()));
        return settings;
    }
}
