package io.emostream.ingest;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks, before any source starts, that the cluster answers, the topic exists and the principal may write it (on a
 * cluster with an authorizer); reads the topic's message size limit.
 */
final class BrokerCheck {
    private BrokerCheck() { }

    /** @return the topic's max.message.bytes */
    static int verify(Properties clientProps, String topic, Duration timeout) {
        String servers = clientProps.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        Properties adminProps = new Properties();
        clientProps.stringPropertyNames().stream().filter(AdminClientConfig.configNames()::contains)
                .forEach(k -> adminProps.put(k, clientProps.getProperty(k)));
        adminProps.remove(AdminClientConfig.CLIENT_ID_CONFIG);
        int ms = (int) Math.max(1, timeout.toMillis());
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(ms));
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ms));
        Admin admin;
        try {
            admin = Admin.create(adminProps);
        } catch (KafkaException e) {
            throw new IngestException("cannot use --bootstrap-servers " + servers + ": " + rootMessage(e)
                    + "; check the host names and ports");
        }
        try {
            admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS);
            Set<AclOperation> allowed = admin.describeTopics(List.of(topic),
                    new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames()
                    .get(ms, TimeUnit.MILLISECONDS).get(topic).authorizedOperations();
            if (allowed != null && !allowed.contains(AclOperation.WRITE)) throw notAllowed("WRITE", topic);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(ms, TimeUnit.MILLISECONDS).get(resource);
            ConfigEntry limit = config.get("max.message.bytes");
            return limit == null ? Integer.MAX_VALUE : Integer.parseInt(limit.value());
        } catch (TimeoutException e) {
            throw new IngestException("Kafka at " + servers + " did not answer within " + timeout.toSeconds()
                    + " s; check --bootstrap-servers, that the brokers are up, and the security settings in --producer-config");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException) {
                throw notAllowed("DESCRIBE_CONFIGS and WRITE", topic);
            }
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IngestException("topic " + topic + " does not exist on " + servers
                        + "; create it first (key = camera id, so give it at least as many partitions as consumers need)");
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new IngestException("Kafka at " + servers + " did not answer within " + timeout.toSeconds()
                        + " s; check --bootstrap-servers, that the brokers are up, and the security settings in --producer-config");
            }
            throw new IngestException("cannot check topic " + topic + " on " + servers + ": " + rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("interrupted while checking Kafka at " + servers);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static IngestException notAllowed(String operations, String topic) {
        return new IngestException("the principal of the --producer-config settings is not allowed " + operations
                + " on topic '" + topic + "': add ACLs allowing Write and DescribeConfigs on it (kafka-acls.sh --add "
                + "--allow-principal User:<principal> --operation Write --operation DescribeConfigs --topic " + topic
                + "); README.md \"Security\" lists the ACLs");
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
