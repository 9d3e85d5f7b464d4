package io.emostream.cli;

import picocli.CommandLine.Option;

/**
 * {@code --bootstrap-servers}, for the commands that may name a Kafka cluster. A command words its help in
 * {@code options.properties} under {@code emostream.<command>.bootstrap-servers} when the default does not fit.
 */
final class ClusterOption {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", descriptionKey = "bootstrap-servers",
            description = "The Kafka cluster; overrides bootstrap.servers.")
    String bootstrapServers;
}
