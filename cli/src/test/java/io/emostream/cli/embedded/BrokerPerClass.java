package io.emostream.cli.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded broker shared by the tests of a class, started before the first and closed after the last:
 * {@code @RegisterExtension static final BrokerPerClass kafka = new BrokerPerClass();}.
 */
public class BrokerPerClass implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) kafka.close();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public Admin admin() {
        return kafka.admin();
    }

    public void createTopic(String name, int partitions) {
        kafka.createTopic(name, partitions);
    }
}
