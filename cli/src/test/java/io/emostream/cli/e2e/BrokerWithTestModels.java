package io.emostream.cli.e2e;

import io.emostream.cli.embedded.BrokerPerClass;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded broker for a test class, with the test models built first (so that the broker's start is not
 * counted against a model build's time): {@code @RegisterExtension static final BrokerWithTestModels kafka = ...}.
 */
final class BrokerWithTestModels extends BrokerPerClass {
    @Override
    public void beforeAll(ExtensionContext context) {
        TestModels.settings();
        super.beforeAll(context);
    }
}
