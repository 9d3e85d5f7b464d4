package io.emostream.schemas.serde;

import io.emostream.schemas.VideoFrame;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Basic authentication and a trust store for the registry, against the in-test registry over real HTTP(S). */
class RegistryAuthTest {
    private static final String USER_INFO = "emostream:registry-secret";

    @TempDir
    Path dir;

    private static VideoFrameSerde configured(Map<String, Object> configs) {
        VideoFrameSerde serde = new VideoFrameSerde();
        serde.configure(configs, false);
        return serde;
    }

    private static void assertRoundTrip(VideoFrameSerde serde) {
        VideoFrame frame = TestRecords.videoFrame("c", 1, 1);
        assertEquals(frame, serde.deserialize("frames", serde.serialize("frames", frame)));
    }

    @Test
    void withoutCredentialsASecuredRegistryAnswers401AndTheMessageSaysWhatToSet() throws Exception {
        try (RegistryStub registry = RegistryStub.requiringBasicAuth(USER_INFO)) {
            VideoFrameSerde serde = configured(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
            SerializationException e = assertThrows(SerializationException.class,
                    () -> serde.serialize("frames", TestRecords.videoFrame("c", 1, 1)));
            assertTrue(e.getMessage().contains("answered 401"), e.getMessage());
            assertTrue(e.getMessage().contains("basic.auth.credentials.source=USER_INFO and basic.auth.user.info"),
                    e.getMessage());
        }
    }

    @Test
    void userInfoCredentialsAreSentToTheRegistry() throws Exception {
        try (RegistryStub registry = RegistryStub.requiringBasicAuth(USER_INFO)) {
            assertRoundTrip(configured(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                    AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                    AvroSerdeConfig.BASIC_AUTH_USER_INFO, USER_INFO)));
        }
    }

    @Test
    void credentialsInTheUrlAreSentAndNeverShownInMessages() throws Exception {
        try (RegistryStub registry = RegistryStub.requiringBasicAuth(USER_INFO)) {
            String withCredentials = registry.url().replace("://", "://" + USER_INFO + "@");
            assertRoundTrip(configured(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, withCredentials)));

            VideoFrameSerde wrong = configured(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                    registry.url().replace("://", "://emostream:wrong-secret@")));
            SerializationException e = assertThrows(SerializationException.class,
                    () -> wrong.serialize("frames", TestRecords.videoFrame("c", 1, 1)));
            assertTrue(e.getMessage().contains("answered 401") && e.getMessage().contains("check the credentials"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("wrong-secret"), e.getMessage());
        }
    }

    @Test
    void userInfoSourceWithoutUserInfoIsRefusedAtConfigureNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> configured(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO")));
        assertTrue(e.getMessage().contains("needs basic.auth.user.info=USER:PASSWORD"), e.getMessage());
    }

    @Test
    void anHttpsRegistryIsTrustedThroughTheConfiguredTrustStoreOnly() throws Exception {
        Path keyStore = dir.resolve("registry.p12");
        Path trustStore = dir.resolve("truststore.p12");
        Path certificate = dir.resolve("registry.pem");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "keystore-pass");
        keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", keyStore.toString(),
                "-storepass", "keystore-pass", "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", "truststore-pass");

        try (RegistryStub registry = RegistryStub.https(serverContext(keyStore, "keystore-pass"))) {
            Map<String, Object> configs = new HashMap<>(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                    AvroSerdeConfig.SCHEMA_REGISTRY_TIMEOUT_MS, 5000));
            VideoFrameSerde untrusting = configured(configs);
            SerializationException e = assertThrows(SerializationException.class,
                    () -> untrusting.serialize("frames", TestRecords.videoFrame("c", 1, 1)));
            assertTrue(e.getMessage().contains("unreachable") && e.getMessage().contains(
                    "needs schema.registry.ssl.truststore.location"), e.getMessage());

            configs.putAll(Map.of(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, trustStore.toString(),
                    AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, "truststore-pass",
                    AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "PKCS12"));
            assertRoundTrip(configured(configs));
        }
    }

    @Test
    void aTrustStoreThatCannotBeReadIsRefusedNamingTheFileAndTheKeysToCheck() throws Exception {
        Path notAStore = Files.writeString(dir.resolve("truststore.jks"), "not a key store");
        ConfigException e = assertThrows(ConfigException.class, () -> configured(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "https://127.0.0.1:1",
                AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, notAStore.toString())));
        assertTrue(e.getMessage().contains(notAStore.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("schema.registry.ssl.truststore.type"), e.getMessage());
    }

    private static SSLContext serverContext(Path keyStore, String password) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, password.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    /** The JDK's keytool: certificates made for the test, no key material in the repository. */
    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }
}
