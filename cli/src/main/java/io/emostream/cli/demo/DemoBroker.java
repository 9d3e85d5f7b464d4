package io.emostream.cli.demo;

import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.cli.embedded.SelfSignedStores;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The demo's embedded broker and the Kafka client settings that every client of the demo uses (the application's
 * Kafka Streams clients, the admin that creates the topics, the ingest's producer, the report's reader): PLAINTEXT,
 * or with {@code --secure} SASL_SSL, SCRAM-SHA-512 over TLS, with a certificate and a password made for this run.
 */
public final class DemoBroker implements AutoCloseable {
    private static final String USER = "demo";

    private final EmbeddedKafka kafka;
    private final Map<String, String> clientSettings;
    private final String description;

    private DemoBroker(EmbeddedKafka kafka, Map<String, String> clientSettings, String description) {
        this.kafka = kafka;
        this.clientSettings = Map.copyOf(clientSettings);
        this.description = description;
    }

    /** Starts the broker; with {@code secure}, its stores go into {@code work}. */
    public static DemoBroker start(boolean secure, Path work) throws IOException {
        if (!secure) {
            EmbeddedKafka kafka = EmbeddedKafka.start();
            return new DemoBroker(kafka, Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), "embedded Kafka broker at " + kafka.bootstrapServers());
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        SelfSignedStores stores = new SelfSignedStores(Files.createDirectories(work.resolve("tls")), password);
        Path keys = stores.keyStore("broker");
        Path trust = stores.trustStore("trust", List.of(keys));
        EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafka.SecureListeners(keys, trust, password, false));
        try {
            Map<String, String> client = new HashMap<>();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.saslSslBootstrapServers());
            client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
            client.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            client.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule "
                    + "required username=\"" + USER + "\" password=\"" + password + "\";");
            client.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
            client.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trust.toString());
            client.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, password);
            kafka.addScramUser(USER, password, new HashMap<>(client));
            return new DemoBroker(kafka, client, "embedded Kafka broker at " + kafka.saslSslBootstrapServers()
                    + " (SASL_SSL: SCRAM-SHA-512 user '" + USER + "' over TLS, certificate and password made for "
                    + "this run)");
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** {@code bootstrap.servers} and, when secure, the security settings. */
    public Map<String, String> clientSettings() {
        return clientSettings;
    }

    /** The client settings without {@code bootstrap.servers}, for the ingest's producer. */
    public Map<String, String> producerSettings() {
        Map<String, String> producer = new HashMap<>(clientSettings);
        producer.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return producer;
    }

    public String bootstrapServers() {
        return clientSettings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    public String describe() {
        return description;
    }

    @Override
    public void close() {
        kafka.close();
    }
}
