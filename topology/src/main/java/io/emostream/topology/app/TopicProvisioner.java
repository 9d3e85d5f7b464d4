package io.emostream.topology.app;

import io.emostream.topology.Topics;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.analytics.FlatObjects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates topics: the application's missing ones when allowed (else it says which are missing), and those the
 * benchmark and the tests make for themselves. Returns only once every partition has a leader:
 * a producer that writes to a partition still electing one gets NOT_LEADER_OR_FOLLOWER, and its idempotent retries
 * can then loop on OUT_OF_ORDER_SEQUENCE_NUMBER.
 */
public final class TopicProvisioner {
    private static final long TIMEOUT_S = 30;

    private TopicProvisioner() { }

    /**
     * Makes sure the application's topics exist, created with the configured partitions and replication factor.
     *
     * @return the topics it created
     * @throws ConfigException when topics are missing and {@link EmoStreamAppConfig#TOPICS_CREATE} is off
     */
    public static List<String> ensure(Admin admin, EmoStreamAppConfig config) throws InterruptedException {
        Topics t = config.topics();
        Set<String> wanted = new LinkedHashSet<>(List.of(t.frames(), t.detections(), t.segmentations(),
                t.deadLetters()));
        List<String> compacted = List.of();
        if (config.analyticsEnabled()) {
            CameraAnalytics.Topics analytics = config.analyticsTopics();
            wanted.addAll(analytics.all());
            compacted = analytics.compacted();
        }
        if (config.objectsEnabled()) wanted.add(config.getString(FlatObjects.TOPIC));
        try {
            wanted.removeAll(get(admin.listTopics().names(), wanted));
        } catch (ExecutionException e) {
            throw cannot(wanted, e);
        }
        if (wanted.isEmpty()) return List.of();
        if (!config.getBoolean(EmoStreamAppConfig.TOPICS_CREATE)) {
            throw new ConfigException("topics " + wanted + " do not exist; create them, or set "
                    + EmoStreamAppConfig.TOPICS_CREATE + "=true to let emostream create them");
        }
        int partitions = config.getInt(EmoStreamAppConfig.TOPICS_PARTITIONS);
        short rf = config.getShort(EmoStreamAppConfig.TOPICS_REPLICATION_FACTOR);
        List<NewTopic> topics = new ArrayList<>();
        for (String name : wanted) {
            NewTopic topic = new NewTopic(name, Optional.of(partitions), rf < 0 ? Optional.empty() : Optional.of(rf));
            // camera configuration: the latest record per camera is the configuration, so keep it forever
            topics.add(compacted.contains(name)
                    ? topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
                    : topic);
        }
        return create(admin, topics);
    }

    /**
     * Creates the topics; one that another client (an ingest, a second instance) creates meanwhile is fine.
     *
     * @return the topics it created
     */
    public static List<String> create(Admin admin, Collection<NewTopic> topics) throws InterruptedException {
        List<String> names = topics.stream().map(NewTopic::name).toList();
        try {
            List<String> created = new ArrayList<>();
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    get(entry.getValue(), names);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
            awaitLeaders(admin, names);
            return created;
        } catch (ExecutionException e) {
            throw cannot(names, e);
        }
    }

    private static void awaitLeaders(Admin admin, List<String> names) throws ExecutionException,
            InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!haveLeaders(admin, names)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + names + " have no leaders after " + TIMEOUT_S + " s");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static boolean haveLeaders(Admin admin, List<String> names) throws ExecutionException,
            InterruptedException {
        try {
            return get(admin.describeTopics(names).allTopicNames(), names).values().stream()
                    .map(TopicDescription::partitions)
                    .allMatch(ps -> !ps.isEmpty() && ps.stream().allMatch(p -> p.leader() != null
                            && !p.leader().isEmpty()));
        } catch (ExecutionException e) {
            // created, but not yet in the metadata of the broker that answers
            if (e.getCause() instanceof UnknownTopicOrPartitionException) return false;
            throw e;
        }
    }

    private static <T> T get(KafkaFuture<T> future, Collection<String> topics) throws ExecutionException,
            InterruptedException {
        try {
            return future.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Kafka cluster did not answer within " + TIMEOUT_S
                    + " s while checking topics " + topics, e);
        }
    }

    private static IllegalStateException cannot(Collection<String> topics, ExecutionException e) {
        if (e.getCause() instanceof TopicAuthorizationException) {
            return new IllegalStateException("the application's principal is not allowed to describe or CREATE "
                    + "topics " + topics + ": add the ACL allowing Create on them (kafka-acls.sh --add "
                    + "--allow-principal User:<principal> --operation Create --topic <name>), or create them "
                    + "yourself and set " + EmoStreamAppConfig.TOPICS_CREATE + "=false; README.md \"Security\" "
                    + "lists every ACL the application needs", e.getCause());
        }
        return new IllegalStateException("cannot check or create topics " + topics + ": "
                + e.getCause().getMessage(), e.getCause());
    }
}
