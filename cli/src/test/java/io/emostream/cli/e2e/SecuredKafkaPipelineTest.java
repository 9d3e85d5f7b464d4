package io.emostream.cli.e2e;

import io.emostream.cli.Main;
import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.cli.embedded.SelfSignedStores;
import io.emostream.ingest.SyntheticVideo;
import io.emostream.schemas.FrameDetections;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.KafkaAccess;
import io.emostream.topology.app.TopicProvisioner;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ingest -> run -> result readers against a broker that authenticates and authorizes: over SASL_SSL with
 * SCRAM-SHA-512, and over TLS with client certificates, the certificates made in the test. The authorizer is on and
 * the application's principal ({@code User:app}, the SCRAM user and the client certificate's CN alike) holds
 * exactly the ACLs README.md "Security" lists, written out here by hand as a reader of the README would; one
 * missing ACL stops {@code run} and {@code ingest} with one line naming it.
 */
class SecuredKafkaPipelineTest {
    private static final String PRINCIPAL = "User:app";
    private static final String SCRAM_PASSWORD = "app-scram-secret";
    private static final String STORE_PASSWORD = "test-store-secret";
    private static final int FRAMES = 4;
    private static final int PARTITIONS = 2;
    private static final Duration STALL = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    private static EmbeddedKafka kafka;
    private static Path video;
    private static Path appKeys;
    private static Path appTrust;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedStores stores = new SelfSignedStores(dir, STORE_PASSWORD);
        Path brokerKeys = stores.keyStore("broker");
        appKeys = stores.keyStore("app");
        appTrust = stores.trustStore("app-trust", List.of(brokerKeys));
        Path brokerTrust = stores.trustStore("broker-trust", List.of(appKeys));
        TestModels.settings();
        kafka = EmbeddedKafka.start(new EmbeddedKafka.SecureListeners(brokerKeys, brokerTrust, STORE_PASSWORD,
                true));
        kafka.addScramUser("app", SCRAM_PASSWORD, new HashMap<>(saslSsl()));
        video = dir.resolve("video.mp4");
        SyntheticVideo.write(video, 160, 120, 10, FRAMES / 10.0);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) kafka.close();
    }

    @Test
    void framesGoThroughIngestRunAndTheReadersOverSaslSslWithScramAndOnlyTheListedAcls() throws Exception {
        assertPipelineWorks("scram", saslSsl(), Map.of());
    }

    @Test
    void framesGoThroughIngestRunAndTheReadersOverMutualTlsExactlyOnceWithOnlyTheListedAcls() throws Exception {
        assertPipelineWorks("mtls", mutualTls(), Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                StreamsConfig.EXACTLY_ONCE_V2));
    }

    @Test
    void runWithoutWriteOnAnOutputTopicStopsWithOneLineNamingTheTopicTheOperationAndTheAcl() throws Exception {
        Map<String, String> settings = withheld("gap", "detections", AclOperation.WRITE);
        Path file = dir.resolve("gap.properties");
        writeProperties(file, settings);

        StringWriter err = new StringWriter();
        int code = execute(err, "run", "--config", file.toString());

        assertEquals(Main.EXIT_FAILURE, code, err::toString);
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("WRITE on topic 'gap-detections'"), message);
        assertTrue(message.contains("--operation Write --topic gap-detections"), message);
        assertFalse(message.contains("Exception"), message);
    }

    @Test
    void ingestWithoutWriteOnTheFramesTopicStopsWithOneLineNamingTheTopicAndTheOperation() throws Exception {
        withheld("nowrite", "frames", AclOperation.WRITE);

        StringWriter err = new StringWriter();
        int code = ingest(err, "nowrite", saslSsl());

        assertEquals(Main.EXIT_FAILURE, code, err::toString);
        String message = err.toString().strip();
        assertTrue(message.contains("WRITE on topic 'nowrite-frames'"), message);
        assertFalse(message.contains("Exception"), message);
    }

    /**
     * Application {@code name} over SASL_SSL: its topics created, and every listed ACL granted but
     * {@code operation} on its topic {@code <name>-<topic>}; returns its settings.
     */
    private static Map<String, String> withheld(String name, String topic, AclOperation operation)
            throws Exception {
        Map<String, String> settings = appSettings(name, saslSsl(), Map.of());
        EmoStreamAppConfig config = new EmoStreamAppConfig(settings);
        createTopics(config);
        List<AclBinding> acls = listedAcls(config, false);
        assertTrue(acls.removeIf(a -> a.pattern().name().equals(name + "-" + topic)
                && a.entry().operation() == operation));
        grant(acls);
        return settings;
    }

    private static void assertPipelineWorks(String name, Map<String, String> client, Map<String, String> extra)
            throws Exception {
        EmoStreamAppConfig config = new EmoStreamAppConfig(appSettings(name, client, extra));
        createTopics(config);
        grant(listedAcls(config, true));
        try (Admin admin = Admin.create(config.adminProperties(name + "-admin"))) {
            assertEquals(List.of(), TopicProvisioner.ensure(admin, config), "the topics exist already");
            KafkaAccess.verify(admin, config);
        }
        try (EmoStreamApp app = EmoStreamApp.create(config)) {
            app.start();
            StringWriter err = new StringWriter();
            assertEquals(Main.EXIT_OK, ingest(err, name, client), err::toString);
            try (ResultCollector results = new ResultCollector(config.readerProperties(name + "-reader"),
                    config)) {
                results.pollUntil(r -> r.detections.size() >= FRAMES && r.segmentations.size() >= FRAMES, STALL);
                assertEquals(FRAMES, results.detections.stream().map(FrameDetections::getSequence).distinct()
                        .count(), results::toString);
                assertEquals(List.of(), results.deadLetters);
            }
            assertTrue(app.health().live().ok(), () -> app.health().live().detail());
        }
    }

    /** The run application's settings over the secured listener; its id differs from its topics' prefix. */
    private static Map<String, String> appSettings(String name, Map<String, String> client,
                                                  Map<String, String> extra) {
        Map<String, String> s = TestApps.settings(client.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG), dir,
                name, PARTITIONS);
        s.put(StreamsConfig.APPLICATION_ID_CONFIG, name + "-app");
        s.put(EmoStreamAppConfig.TOPICS_CREATE, "false");
        s.putAll(TestModels.settings());
        s.putAll(client);
        s.putAll(extra);
        return s;
    }

    /**
     * The ACLs README.md "Security" lists, for the principal: ingest writes the frames topic and reads its
     * settings; run reads its inputs, writes its outputs, owns its internal topics, its group and (under
     * exactly_once_v2) its transactional ids; a result reader reads the results.
     */
    private static List<AclBinding> listedAcls(EmoStreamAppConfig config, boolean exactlyOnce) {
        String app = config.getString(EmoStreamAppConfig.APPLICATION_ID);
        var topics = config.topics();
        var analytics = config.analyticsTopics();
        List<AclBinding> acls = new ArrayList<>();
        topic(acls, topics.frames(), AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS, AclOperation.READ);
        topic(acls, analytics.cameraConfig(), AclOperation.READ);
        topic(acls, analytics.cameraConfigAccepted(), AclOperation.READ, AclOperation.WRITE);
        for (String output : List.of(topics.detections(), topics.segmentations(), topics.deadLetters())) {
            topic(acls, output, AclOperation.WRITE, AclOperation.READ);
        }
        for (String output : List.of(analytics.tracks(), analytics.frameAnalytics(), analytics.frameOccupancy(),
                analytics.cameraStats())) {
            topic(acls, output, AclOperation.WRITE);
        }
        acls.add(allow(new ResourcePattern(ResourceType.TOPIC, app + "-", PatternType.PREFIXED), AclOperation.ALL));
        acls.add(allow(new ResourcePattern(ResourceType.GROUP, app, PatternType.LITERAL), AclOperation.READ));
        if (exactlyOnce) {
            acls.add(allow(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, app, PatternType.PREFIXED),
                    AclOperation.WRITE));
        }
        return acls;
    }

    private static void topic(List<AclBinding> acls, String topic, AclOperation... operations) {
        for (AclOperation op : operations) {
            acls.add(allow(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), op));
        }
    }

    private static AclBinding allow(ResourcePattern pattern, AclOperation operation) {
        return new AclBinding(pattern, new AccessControlEntry(PRINCIPAL, "*", operation, AclPermissionType.ALLOW));
    }

    /** Adds the ACLs, and waits until the broker's authorizer has them. */
    private static void grant(List<AclBinding> acls) throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            Eventually.await("the ACLs reach the authorizer", Duration.ofSeconds(30),
                    () -> admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(acls));
        }
    }

    private static void createTopics(EmoStreamAppConfig config) throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(config.topics().frames(), config.topics().detections(),
                config.topics().segmentations(), config.topics().deadLetters()));
        names.addAll(config.analyticsTopics().all());
        names.forEach(n -> topics.add(new NewTopic(n, PARTITIONS, (short) 1)));
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.create(admin, topics);
        }
    }

    private static int ingest(Writer err, String name, Map<String, String> client) throws IOException {
        Path producerConfig = dir.resolve(name + "-producer.properties");
        Map<String, String> security = new HashMap<>(client);
        String servers = security.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        writeProperties(producerConfig, security);
        return execute(err, "ingest", "--bootstrap-servers", servers, "--topic", name + "-frames", "--camera",
                name + "-cam", "--source", video.toString(), "--producer-config", producerConfig.toString());
    }

    private static int execute(Writer err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    private static Map<String, String> saslSsl() {
        Map<String, String> s = trusting(kafka.saslSslBootstrapServers());
        s.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        s.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        s.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"app\" password=\"" + SCRAM_PASSWORD + "\";");
        return s;
    }

    private static Map<String, String> mutualTls() {
        Map<String, String> s = trusting(kafka.sslBootstrapServers());
        s.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        s.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        s.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, appKeys.toString());
        s.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, STORE_PASSWORD);
        s.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, STORE_PASSWORD);
        return s;
    }

    private static Map<String, String> trusting(String bootstrapServers) {
        Map<String, String> s = new HashMap<>();
        s.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        s.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        s.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, appTrust.toString());
        s.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, STORE_PASSWORD);
        return s;
    }

    private static void writeProperties(Path file, Map<String, String> settings) throws IOException {
        Properties props = new Properties();
        props.putAll(settings);
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, null);
        }
    }
}
