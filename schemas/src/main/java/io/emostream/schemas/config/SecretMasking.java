package io.emostream.schemas.config;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Hides secret values in configuration that is logged or printed, as Kafka's {@code PASSWORD} type does
 * ({@value Password#HIDDEN}). A key is secret when Kafka's clients define it as a password (the SSL passwords and
 * keys, {@code sasl.jaas.config}), when it ends in {@code password}, {@code token} or {@code basic.auth.user.info},
 * or when its value is a {@link Password}. Prefixed keys count too ({@code producer.ssl.key.password},
 * {@code schema.registry.basic.auth.user.info}), since Kafka Streams and the serdes pass settings on that way.
 */
public final class SecretMasking {
    private static final Set<String> KAFKA_PASSWORDS = kafkaPasswordKeys();
    private static final String[] SECRET_ENDINGS = {"password", "token", "basic.auth.user.info"};

    private SecretMasking() { }

    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String ending : SECRET_ENDINGS) {
            if (k.endsWith(ending)) return true;
        }
        for (String password : KAFKA_PASSWORDS) {
            if (k.equals(password) || k.endsWith("." + password)) return true;
        }
        return false;
    }

    /** A copy in the same order with every secret value replaced by {@value Password#HIDDEN}. */
    public static Map<String, Object> masked(Map<String, ?> settings) {
        Map<String, Object> copy = new LinkedHashMap<>();
        settings.forEach((key, value) -> copy.put(key, masked(key, value)));
        return copy;
    }

    /** The value to show for {@code key}: itself, or {@value Password#HIDDEN} for a secret. */
    public static Object masked(String key, Object value) {
        return value instanceof Password || (value != null && isSecret(key)) ? Password.HIDDEN : value;
    }

    private static Set<String> kafkaPasswordKeys() {
        Set<String> keys = new HashSet<>();
        Stream.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())
                .flatMap(def -> def.configKeys().values().stream())
                .filter(key -> key.type == ConfigDef.Type.PASSWORD)
                .forEach(key -> keys.add(key.name));
        return Set.copyOf(keys);
    }
}
