package io.emostream.cli.embedded;

import io.emostream.bench.Bench;
import io.emostream.topology.app.TopicProvisioner;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process) on 127.0.0.1, with its data in a temp
 * directory that is removed on close. Used by the demo and by tests; never a mock.
 */
public final class EmbeddedKafka implements Bench.LocalBroker {
    private final Path dataDir;
    private final Properties props;
    private final String bootstrapServers;
    private KafkaRaftServer server; // null while stopped

    private EmbeddedKafka(Path dataDir, Properties props, KafkaRaftServer server, String bootstrapServers) {
        this.dataDir = dataDir;
        this.props = props;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats a fresh log directory and starts the broker; returns once it accepts connections. */
    public static EmbeddedKafka start() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("emostream-kafka-");
            int brokerPort = freePort();
            int controllerPort = freePort();
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", dir.resolve("logs").toString());
            // One node: every internal topic needs replication factor 1 and min ISR 1, or exactly_once_v2 hangs.
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "4");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "4");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("num.partitions", "1");
            props.put("auto.create.topics.enable", "false");
            // Frames are large messages.
            props.put("message.max.bytes", String.valueOf(16 * 1024 * 1024));
            props.put("replica.fetch.max.bytes", String.valueOf(16 * 1024 * 1024));
            Path config = dir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(config)) {
                props.store(out, "emostream embedded broker");
            }
            format(config);
            EmbeddedKafka kafka = new EmbeddedKafka(dir, props, startServer(props), "127.0.0.1:" + brokerPort);
            kafka.awaitReady();
            return kafka;
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
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

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
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
