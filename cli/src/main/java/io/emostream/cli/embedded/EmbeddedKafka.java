package io.emostream.cli.embedded;

import io.emostream.bench.Bench;
import io.emostream.topology.app.TopicProvisioner;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process) on 127.0.0.1, with its data in a temp
 * directory that is removed on close. Used by the demo and by tests; never a mock. With {@link SecureListeners} it
 * also listens for clients that must authenticate.
 */
public final class EmbeddedKafka implements Bench.LocalBroker {
    private final Path dataDir;
    private final Properties props;
    private final String bootstrapServers;
    private final String saslSslBootstrapServers;
    private final String sslBootstrapServers;
    private KafkaRaftServer server; // null while stopped

    private EmbeddedKafka(Path dataDir, Properties props, KafkaRaftServer server, String bootstrapServers,
                          String saslSslBootstrapServers, String sslBootstrapServers) {
        this.dataDir = dataDir;
        this.props = props;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.saslSslBootstrapServers = saslSslBootstrapServers;
        this.sslBootstrapServers = sslBootstrapServers;
    }

    /**
     * Two listeners beside the PLAINTEXT one: {@code SASL_SSL} with SCRAM-SHA-512 (users are added with
     * {@code Admin.alterUserScramCredentials}), and {@code SSL} that requires a client certificate, whose principal
     * is its CN ({@code User:<CN>}). Both present the broker's key store and trust the trust store's certificates.
     * With {@code authorizer}, Kafka's {@code StandardAuthorizer} allows only what ACLs allow, except to the
     * PLAINTEXT listener's (and the controller's) principal {@code User:ANONYMOUS}, the super user that the broker
     * itself and whoever holds {@link #admin()} use.
     *
     * @param keyStore   PKCS12 key store with the broker's key and certificate, valid for 127.0.0.1
     * @param trustStore PKCS12 trust store with the client certificates (or their CA) to accept
     * @param password   the password of both stores and of the key
     */
    public record SecureListeners(Path keyStore, Path trustStore, String password, boolean authorizer) { }

    /** Formats a fresh log directory and starts the broker; returns once it accepts connections. */
    public static EmbeddedKafka start() {
        return start(null);
    }

    /** {@link #start()}, with the secure listeners too unless {@code secure} is null. */
    public static EmbeddedKafka start(SecureListeners secure) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("emostream-kafka-");
            int brokerPort = freePort();
            int controllerPort = freePort();
            String plaintext = "PLAINTEXT://127.0.0.1:" + brokerPort;
            Properties props = fixedSettings();
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("listeners", plaintext + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", plaintext);
            String saslSsl = null;
            String ssl = null;
            if (secure != null) {
                saslSsl = "127.0.0.1:" + freePort();
                ssl = "127.0.0.1:" + freePort();
                secure(props, secure, saslSsl, ssl);
            }
            props.put("log.dirs", dir.resolve("logs").toString());
            Path config = dir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(config)) {
                props.store(out, "emostream embedded broker");
            }
            format(config);
            EmbeddedKafka kafka = new EmbeddedKafka(dir, props, startServer(props), "127.0.0.1:" + brokerPort,
                    saslSsl, ssl);
            kafka.awaitReady();
            return kafka;
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    /** broker.properties beside this class: the settings that do not depend on ports and directories. */
    private static Properties fixedSettings() throws IOException {
        Properties props = new Properties();
        try (InputStream in = EmbeddedKafka.class.getResourceAsStream("broker.properties")) {
            props.load(in);
        }
        return props;
    }

    private static void secure(Properties props, SecureListeners secure, String saslSsl, String ssl) {
        props.put("listeners", props.get("listeners") + ",SASL_SSL://" + saslSsl + ",SSL://" + ssl);
        props.put("advertised.listeners", props.get("advertised.listeners") + ",SASL_SSL://" + saslSsl
                + ",SSL://" + ssl);
        props.put("listener.security.protocol.map", props.get("listener.security.protocol.map")
                + ",SASL_SSL:SASL_SSL,SSL:SSL");
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("listener.name.ssl.ssl.client.auth", "required");
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", secure.keyStore().toString());
        props.put("ssl.keystore.password", secure.password());
        props.put("ssl.key.password", secure.password());
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.location", secure.trustStore().toString());
        props.put("ssl.truststore.password", secure.password());
        // User:<CN> rather than the whole distinguished name
        props.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]*).*$/$1/,DEFAULT");
        if (secure.authorizer()) {
            props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            props.put("super.users", "User:ANONYMOUS");
        }
    }

    private static KafkaRaftServer startServer(Properties props) {
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return server;
    }

    /** Shuts the broker down, keeping its log directory, as a broker that goes away does; see {@link #restart}. */
    public synchronized void stop() {
        if (server == null) return;
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    /** Starts the stopped broker again on the same log directory and ports; returns once it accepts connections. */
    public synchronized void restart() {
        if (server != null) throw new IllegalStateException("the broker is running");
        server = startServer(props);
        awaitReady();
    }

    private static void format(Path config) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            kafka.tools.StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(),
                    "-c", config.toString(), "--ignore-formatted"}, out);
        } catch (Exception e) {
            throw new IllegalStateException("formatting the embedded broker's storage failed: " + buf, e);
        }
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("embedded Kafka broker did not become ready: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The SASL_SSL (SCRAM-SHA-512) listener's address; null without {@link SecureListeners}. */
    public String saslSslBootstrapServers() {
        return saslSslBootstrapServers;
    }

    /** The SSL listener's address, which requires a client certificate; null without {@link SecureListeners}. */
    public String sslBootstrapServers() {
        return sslBootstrapServers;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Adds (or changes) a SCRAM-SHA-512 user, as the super user; returns once a client with {@code clientSettings}
     * (the SASL_SSL listener, as that user) can log in: the broker applies the credential a moment after the
     * controller has it.
     */
    public void addScramUser(String user, String password, Map<String, Object> clientSettings) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all()
                    .get(30, TimeUnit.SECONDS);
            while (true) {
                try (Admin client = Admin.create(clientSettings)) {
                    client.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) throw e;
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("SCRAM user " + user + " cannot log in to the embedded broker: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while adding SCRAM user " + user, e);
        }
    }

    /** Creates the topic (replication factor 1) unless it exists, and waits until its partitions have leaders. */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            TopicProvisioner.create(admin, List.of(new NewTopic(name, partitions, (short) 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            deleteQuietly(dataDir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp directory
        }
    }
}
