package io.emostream.topology.app;

import io.emostream.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Makes sure the application's topics exist: creates the missing ones when allowed, else says which are missing. */
public final class TopicProvisioner {
    private static final long TIMEOUT_S = 30;

    private TopicProvisioner() { }

    /** @return the topics it created */
    public static List<String> ensure(Admin admin, EmoStreamAppConfig config) throws InterruptedException {
        Topics t = config.topics();
        Set<String> wanted = new LinkedHashSet<>(List.of(t.frames(), t.detections(), t.segmentations(),
                t.deadLetters()));
        try {
            wanted.removeAll(admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS));
            if (wanted.isEmpty()) return List.of();
            if (!config.getBoolean(EmoStreamAppConfig.TOPICS_CREATE)) {
                throw new ConfigException("topics " + wanted + " do not exist; create them, or set "
                        + EmoStreamAppConfig.TOPICS_CREATE + "=true to let emostream create them");
            }
            int partitions = config.getInt(EmoStreamAppConfig.TOPICS_PARTITIONS);
            short rf = config.getShort(EmoStreamAppConfig.TOPICS_REPLICATION_FACTOR);
            List<NewTopic> topics = new ArrayList<>();
            for (String name : wanted) {
                topics.add(new NewTopic(name, Optional.of(partitions), rf < 0 ? Optional.empty() : Optional.of(rf)));
            }
            List<String> created = new ArrayList<>();
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    // Another client (an ingest, a second instance) created it meanwhile: fine.
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot check or create topics " + wanted + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Kafka cluster did not answer within " + TIMEOUT_S
                    + " s while checking topics " + wanted, e);
        }
    }
}
