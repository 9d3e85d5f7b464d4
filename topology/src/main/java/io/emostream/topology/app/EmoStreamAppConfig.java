package io.emostream.topology.app;

import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.http.HttpSettings;
import io.emostream.topology.view.LiveViewSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;

/**
 * The settings of the {@code run} application: the plugin's keys ({@link EmoStreamConfig#CONFIG}) plus those only
 * the application reads: topic creation, the Kafka Streams defaults it chooses where the user chose none, the
 * HTTP server (query API, metrics, health, live page) and how it fails and stops.
 */
public final class EmoStreamAppConfig extends EmoStreamConfig {
    public static final String TOPICS_CREATE = "topics.create";
    public static final String TOPICS_PARTITIONS = "topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "topics.replication.factor";
    public static final String APPLICATION_ID = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String PRODUCER_LINGER_MS = StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);
    public static final String CONSUMER_SESSION_TIMEOUT_MS =
            StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
    public static final String CONSUMER_HEARTBEAT_INTERVAL_MS =
            StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);

    private static final String TOPIC_CREATION = "Topic creation";
    private static final String STREAMS_DEFAULTS = "Kafka Streams defaults";

    /** The keys the application adds to the plugin's. */
    public static final ConfigDef OWN_CONFIG = LiveViewSettings.define(LifecycleSettings.define(
            HttpSettings.define(new ConfigDef()
            .define(TOPICS_CREATE, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Whether the run command creates missing topics; when false a missing topic is an error.",
                    TOPIC_CREATION, 1, ConfigDef.Width.SHORT, TOPICS_CREATE)
            .define(TOPICS_PARTITIONS, Type.INT, 4, Range.atLeast(1), Importance.MEDIUM,
                    "Partition count of topics the run command creates. More partitions allow more stream threads "
                            + "and instances to share the work.", TOPIC_CREATION, 2, ConfigDef.Width.SHORT,
                    TOPICS_PARTITIONS)
            .define(TOPICS_REPLICATION_FACTOR, Type.SHORT, (short) -1, Range.atLeast(-1), Importance.MEDIUM,
                    "Replication factor of topics the run command creates; -1 uses the broker's default.",
                    TOPIC_CREATION, 3, ConfigDef.Width.SHORT, TOPICS_REPLICATION_FACTOR)
            .define(APPLICATION_ID, Type.STRING, "emostream", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka Streams application id: the consumer group and the prefix of internal topics. "
                            + "Instances with the same id share the partitions.", STREAMS_DEFAULTS, 1,
                    ConfigDef.Width.MEDIUM, APPLICATION_ID)
            // Kafka Streams gives its producers linger.ms=100, so a frame's results could wait 100 ms to be sent;
            // at camera frame rates 5 ms still batches the results of concurrent frames.
            .define(PRODUCER_LINGER_MS, Type.LONG, 5L, Range.atLeast(0), Importance.LOW,
                    "How long the Kafka Streams producers wait to fill a batch: 5 instead of Kafka Streams' 100, so "
                            + "results are not held back. A plain linger.ms setting applies instead when this one "
                            + "is not set.", STREAMS_DEFAULTS, 2, ConfigDef.Width.SHORT, PRODUCER_LINGER_MS)
            // The consumers' 45 s session is how long a killed instance's cameras get no results (bench failover).
            // Heartbeats come from a thread of their own, so a slow batch does not end a session; a stall of the
            // whole JVM (a long GC pause) or of the network longer than the session does, at the cost of a rebalance.
            .define(CONSUMER_SESSION_TIMEOUT_MS, Type.INT, 10_000, Range.atLeast(1), Importance.MEDIUM,
                    "How long the group waits for a silent instance before its partitions go to the others: 10 s "
                            + "instead of the consumer's 45 s, so the cameras of an instance that died pause about "
                            + "11-12 s instead of 45 s (measured by bench failover; under exactly_once_v2 the dead "
                            + "instance's open transaction must also time out, transaction.timeout.ms, 10 s, so less "
                            + "than 10 s gains little). Lower means more needless rebalances on JVM or network "
                            + "stalls; the broker accepts group.min.session.timeout.ms (6 s) upwards. A plain "
                            + "session.timeout.ms setting applies instead when this one is not set.",
                    STREAMS_DEFAULTS, 3, ConfigDef.Width.SHORT, CONSUMER_SESSION_TIMEOUT_MS)
            .define(CONSUMER_HEARTBEAT_INTERVAL_MS, Type.INT, 3_000, Range.atLeast(1), Importance.LOW,
                    "How often the consumers tell the group they live: 3 s, a third of the session as Kafka "
                            + "advises. A plain heartbeat.interval.ms setting applies instead when this one is not "
                            + "set.",
                    STREAMS_DEFAULTS, 4, ConfigDef.Width.SHORT, CONSUMER_HEARTBEAT_INTERVAL_MS))));

    /** Every key of the application: the plugin's and its own. */
    public static final ConfigDef CONFIG = withOwnKeys(new ConfigDef(EmoStreamConfig.CONFIG));

    /** @throws ConfigException if a value is invalid (the message names the key) */
    public EmoStreamAppConfig(Map<?, ?> originals) {
        super(CONFIG, originals);
    }

    /**
     * The Kafka Streams settings: those emostream does not define, plus the application id, the producers'
     * {@code linger.ms} and the consumers' session timeout and heartbeat interval (each unless the plain key is set
     * for all clients and emostream's prefixed one is not).
     */
    @Override
    public Map<String, Object> streamsProperties() {
        Map<String, Object> props = super.streamsProperties();
        props.put(APPLICATION_ID, getString(APPLICATION_ID));
        putClientDefault(props, PRODUCER_LINGER_MS, ProducerConfig.LINGER_MS_CONFIG);
        putClientDefault(props, CONSUMER_SESSION_TIMEOUT_MS, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
        putClientDefault(props, CONSUMER_HEARTBEAT_INTERVAL_MS, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
        HttpSettings http = httpSettings();
        if (http.enabled()) {
            // where the other instances route the query API's requests for the cameras this one owns
            props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, http.applicationServer());
        }
        return props;
    }

    /** emostream's value of a prefixed client key, unless the user set the plain key for all clients and not ours. */
    private void putClientDefault(Map<String, Object> props, String prefixedKey, String plainKey) {
        if (originals().containsKey(prefixedKey) || !props.containsKey(plainKey)) {
            props.put(prefixedKey, get(prefixedKey));
        }
    }

    /**
     * The settings of an admin client of the application's cluster: {@code bootstrap.servers}, the security
     * settings ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}) and the rest that Kafka Streams would give
     * its own admin client, {@code admin.}-prefixed ones included.
     */
    public Map<String, Object> adminProperties(String clientId) {
        return new StreamsConfig(streamsProperties()).getAdminConfigs(clientId);
    }

    /**
     * The settings of a consumer that reads the application's topics outside Kafka Streams (result readers):
     * {@code bootstrap.servers} and the security settings, {@code consumer.}-prefixed ones included; no group.
     */
    public Map<String, Object> readerProperties(String clientId) {
        Map<String, Object> props = new StreamsConfig(streamsProperties()).getGlobalConsumerConfigs(clientId);
        props.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    /** @throws ConfigException if the HTTP settings do not fit together */
    public HttpSettings httpSettings() {
        return HttpSettings.from(this);
    }

    public LifecycleSettings lifecycleSettings() {
        return LifecycleSettings.from(this);
    }

    public LiveViewSettings liveViewSettings() {
        return LiveViewSettings.from(this);
    }

    private static ConfigDef withOwnKeys(ConfigDef plugin) {
        OWN_CONFIG.configKeys().values().forEach(plugin::define);
        return plugin;
    }
}
