package io.emostream.cli.e2e;

import io.emostream.cli.embedded.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded broker for a test class, with the test models built first (so that the broker's start is not
 * counted against a model build's time): {@code @RegisterExtension static final BrokerWithTestModels kafka = ...}.
 */
final class BrokerWithTestModels implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) {
        TestModels.settings();
        kafka = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) kafka.close();
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    Admin admin() {
        return kafka.admin();
    }
}
