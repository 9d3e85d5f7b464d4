package io.emostream.topology.app;

import io.emostream.topology.Topics;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.analytics.FlatObjects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.StreamsConfig;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The ACLs the {@code run} application's principal needs on a cluster with an authorizer (README.md, "Security"),
 * and a check of them before processing starts, so that a missing one stops {@code run} with one line naming the
 * resource and the operation instead of a stream thread dying later. The check asks the cluster which operations
 * the principal may perform on each topic and on the consumer group; for the internal topics and the transactional
 * ids, whose names are only known as a prefix, it can only see whether the principal may describe a name under the
 * prefix.
 */
public final class KafkaAccess {
    private static final long TIMEOUT_S = 30;
    private static final String README = "README.md \"Security\" lists every ACL the application needs";

    private KafkaAccess() { }

    /** One ACL: an operation allowed on a resource (a literal name or a prefix). */
    public record Permission(ResourceType type, String name, PatternType pattern, AclOperation operation) {
        /** E.g. {@code WRITE on topic 'detections'} or {@code ALL on topics prefixed 'emostream-'}. */
        public String describe() {
            String kind = type.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            return operation + " on " + (pattern == PatternType.PREFIXED ? kind + "s prefixed '" + name + "'"
                    : kind + " '" + name + "'");
        }

        /** The {@code kafka-acls.sh} options that add it, the principal left for the user to fill in. */
        public String kafkaAclsOptions() {
            String resource = switch (type) {
                case TOPIC -> "--topic ";
                case GROUP -> "--group ";
                case TRANSACTIONAL_ID -> "--transactional-id ";
                default -> "--" + type.name().toLowerCase(Locale.ROOT) + " ";
            };
            String op = operation.name().charAt(0) + operation.name().substring(1).toLowerCase(Locale.ROOT);
            return "--add --allow-principal User:<principal> --operation " + op + " " + resource + name
                    + (pattern == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "");
        }
    }

    /**
     * What the application needs once its topics exist: READ on its input topics, WRITE on its output topics, ALL
     * on its internal topics (prefixed {@code <application.id>-}: changelogs and repartition topics, which Kafka
     * Streams creates, reads, writes, purges and checks), READ on its consumer group and, under
     * {@code exactly_once_v2}, WRITE on its transactional ids (prefixed {@code <application.id>}).
     */
    public static List<Permission> required(EmoStreamAppConfig config) {
        String applicationId = config.getString(EmoStreamAppConfig.APPLICATION_ID);
        Topics t = config.topics();
        List<Permission> required = new ArrayList<>();
        required.add(topic(t.frames(), AclOperation.READ));
        List<String> outputs = new ArrayList<>(List.of(t.detections(), t.segmentations(), t.deadLetters()));
        if (config.analyticsEnabled()) {
            CameraAnalytics.Topics a = config.analyticsTopics();
            required.add(topic(a.cameraConfig(), AclOperation.READ));
            required.add(topic(a.cameraConfigAccepted(), AclOperation.READ));
            outputs.addAll(List.of(a.tracks(), a.frameAnalytics(), a.frameOccupancy(), a.cameraStats(),
                    a.cameraConfigAccepted()));
        }
        if (config.objectsEnabled()) outputs.add(config.getString(FlatObjects.TOPIC));
        outputs.forEach(name -> required.add(topic(name, AclOperation.WRITE)));
        required.add(new Permission(ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, AclOperation.ALL));
        required.add(new Permission(ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ));
        if (exactlyOnce(config)) {
            required.add(new Permission(ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED,
                    AclOperation.WRITE));
        }
        return required;
    }

    /**
     * Checks {@link #required} against what the cluster says the principal may do.
     *
     * @throws MissingAclException naming every permission found missing and how to add it
     */
    public static void verify(Admin admin, EmoStreamAppConfig config) throws InterruptedException {
        List<Permission> missing = new ArrayList<>();
        List<Permission> required = required(config);
        Set<String> topics = required.stream().filter(p -> p.type() == ResourceType.TOPIC)
                .map(Permission::name).collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics,
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
        for (Permission p : required) {
            switch (p.type()) {
                case TOPIC -> {
                    Optional<Set<AclOperation>> allowed = allowedOrDenied(described.get(p.name()));
                    boolean prefixDenied = p.pattern() == PatternType.PREFIXED && allowed.isPresent()
                            && allowed.get().isEmpty();
                    boolean literalDenied = p.pattern() == PatternType.LITERAL && allowed.isPresent()
                            && !allowed.get().contains(p.operation());
                    if (prefixDenied || literalDenied) missing.add(p);
                }
                case GROUP -> {
                    if (groupDenied(admin, p)) missing.add(p);
                }
                case TRANSACTIONAL_ID -> {
                    if (denied(admin.describeTransactions(List.of(p.name() + "-access-check")).all())) {
                        missing.add(p);
                    }
                }
                default -> throw new IllegalStateException("no check for " + p);
            }
        }
        if (!missing.isEmpty()) throw new MissingAclException(missing);
    }

    /** A failure of Kafka's authorizer somewhere in {@code failure}'s causes, said in one line; else empty. */
    public static Optional<String> explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TopicAuthorizationException e) {
                return Optional.of("Kafka refused access to topics " + e.unauthorizedTopics() + " ("
                        + e.getMessage() + "); " + README);
            }
            if (t instanceof AuthorizationException e) {
                return Optional.of("Kafka refused an operation (" + e.getClass().getSimpleName() + ": "
                        + e.getMessage() + "); " + README);
            }
        }
        return Optional.empty();
    }

    private static boolean exactlyOnce(EmoStreamAppConfig config) {
        Object guarantee = config.streamsProperties().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        return guarantee != null && guarantee.toString().startsWith("exactly_once");
    }

    private static Permission topic(String name, AclOperation operation) {
        return new Permission(ResourceType.TOPIC, name, PatternType.LITERAL, operation);
    }

    /**
     * The operations allowed on a topic; an empty set when the principal may not even describe it; no answer when
     * the topic does not exist although it may be described, or the broker did not say.
     */
    private static Optional<Set<AclOperation>> allowedOrDenied(KafkaFuture<TopicDescription> description)
            throws InterruptedException {
        try {
            return Optional.ofNullable(description.get(TIMEOUT_S, TimeUnit.SECONDS).authorizedOperations());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException) return Optional.of(Set.of());
            return Optional.empty();
        } catch (TimeoutException e) {
            throw timedOut();
        }
    }

    private static boolean groupDenied(Admin admin, Permission group) throws InterruptedException {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group.name()),
                    new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).describedGroups()
                    .get(group.name()).get(TIMEOUT_S, TimeUnit.SECONDS);
            Set<AclOperation> allowed = description.authorizedOperations();
            return allowed != null && !allowed.isEmpty() && !allowed.contains(group.operation());
        } catch (ExecutionException e) {
            return e.getCause() instanceof GroupAuthorizationException;
        } catch (TimeoutException e) {
            throw timedOut();
        }
    }

    private static boolean denied(KafkaFuture<?> future) throws InterruptedException {
        try {
            future.get(TIMEOUT_S, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof TransactionalIdAuthorizationException;
        } catch (TimeoutException e) {
            throw timedOut();
        }
    }

    private static IllegalStateException timedOut() {
        return new IllegalStateException("the Kafka cluster did not answer within " + TIMEOUT_S
                + " s while the application's ACLs were checked");
    }

    /** Permissions the principal lacks, named with the options of {@code kafka-acls.sh} that add them. */
    public static final class MissingAclException extends RuntimeException {
        private final List<Permission> missing;

        MissingAclException(List<Permission> missing) {
            super("the application's principal is not allowed " + missing.stream().map(Permission::describe)
                    .collect(Collectors.joining(", ")) + ": add " + (missing.size() == 1 ? "the ACL" : "the ACLs")
                    + " (kafka-acls.sh " + missing.stream().map(Permission::kafkaAclsOptions)
                    .collect(Collectors.joining("; kafka-acls.sh ")) + "); " + README);
            this.missing = List.copyOf(missing);
        }

        public List<Permission> missing() {
            return missing;
        }
    }
}
