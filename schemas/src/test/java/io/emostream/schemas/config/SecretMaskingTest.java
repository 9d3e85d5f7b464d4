package io.emostream.schemas.config;

import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretMaskingTest {
    @Test
    void passwordsTokensJaasConfigAndRegistryUserInfoAreHiddenWhateverTheirPrefix() {
        for (String key : List.of("ssl.truststore.password", "producer.ssl.key.password", "sasl.jaas.config",
                "main.consumer.sasl.jaas.config", "http.auth.token", "schema.registry.basic.auth.user.info",
                "basic.auth.user.info", "schema.registry.ssl.truststore.password", "SSL.KEYSTORE.PASSWORD")) {
            assertTrue(SecretMasking.isSecret(key), key);
        }
    }

    @Test
    void keysKafkaDefinesAsPasswordsAreHiddenThoughTheirNamesSayNoPassword() {
        assertTrue(SecretMasking.isSecret("ssl.keystore.key"), "PEM private key");
        assertTrue(SecretMasking.isSecret("admin.ssl.keystore.certificate.chain"));
    }

    @Test
    void ordinarySettingsStayReadable() {
        for (String key : List.of("bootstrap.servers", "sasl.mechanism", "security.protocol",
                "ssl.truststore.location", "basic.auth.credentials.source", "batch.max.size", "token.bucket.size")) {
            assertFalse(SecretMasking.isSecret(key), key);
        }
    }

    @Test
    void aMaskedCopyKeepsOrderAndHidesOnlySecretsAndPasswordValues() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", "broker:9093");
        settings.put("sasl.jaas.config", "ScramLoginModule required username=\"app\" password=\"s3cret\";");
        settings.put("custom.credential", new Password("p"));
        settings.put("ssl.key.password", null);

        Map<String, Object> masked = SecretMasking.masked(settings);

        assertEquals(List.of("bootstrap.servers", "sasl.jaas.config", "custom.credential", "ssl.key.password"),
                List.copyOf(masked.keySet()));
        assertEquals("broker:9093", masked.get("bootstrap.servers"));
        assertEquals(Password.HIDDEN, masked.get("sasl.jaas.config"));
        assertEquals(Password.HIDDEN, masked.get("custom.credential"));
        assertEquals(null, masked.get("ssl.key.password"), "nothing set, nothing to hide");
        assertFalse(masked.toString().contains("s3cret"), masked.toString());
    }
}
