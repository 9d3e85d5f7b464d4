package io.emostream.cli;

import io.emostream.bench.BenchFrames;
import io.emostream.bench.ModelSet;
import io.emostream.cli.embedded.BrokerJars;
import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.ingest.EncodedImage;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.topology.app.EmoStreamAppConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every bench scenario that runs the pipeline is given, in the order its help lists them: the cluster, the
 * application settings, the runtime and the frames. A command words {@code --app-config} in
 * {@code options.properties} under {@code emostream.<command>.app-config} when the default does not fit.
 */
final class BenchPipelineOptions {
    @Mixin
    ClusterOption cluster;

    @Option(names = "--app-config", paramLabel = "KEY=VALUE", descriptionKey = "app-config",
            description = "An application setting (emostream or Kafka Streams key); repeatable.")
    Map<String, String> appConfig = new LinkedHashMap<>();

    @Mixin
    BenchRuntimeOptions runtime;

    /** The models a scenario runs, named by the command's options. */
    interface Models {
        /** @throws IllegalArgumentException when a name is neither a built-in model nor a file */
        ModelSet resolve() throws IOException;
    }

    /** A scenario on the pipeline, given what these options and the command chose. */
    interface Scenario<T> {
        T run(ModelSet models, RuntimeConfig runtime, List<EncodedImage> frames, String bootstrapServers,
              Map<String, String> appConfig) throws Exception;
    }

    /**
     * Runs {@code scenario} on {@code models} with these options' runtime and frames, on --bootstrap-servers or,
     * without it, on an embedded broker started for it. Bad options are usage errors before anything starts.
     *
     * @param what the command, for the message when the embedded broker's jars are missing
     */
    <T> T run(String what, Models models, Scenario<T> scenario) throws Exception {
        RuntimeConfig runtimeConfig;
        List<EncodedImage> frames;
        ModelSet resolved;
        try {
            runtimeConfig = runtime.runtimeConfig();
            frames = BenchFrames.jpegs(runtime.frameWidth(), runtime.frameHeight());
            resolved = models.resolve();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        checkedAppConfig();
        try (EmbeddedKafka broker = cluster.bootstrapServers == null ? localBroker(what) : null) {
            String servers = broker != null ? broker.bootstrapServers() : cluster.bootstrapServers;
            return scenario.run(resolved, runtimeConfig, frames, servers, appConfig);
        }
    }

    /** Checks the emostream keys and values of --app-config before anything runs. */
    EmoStreamAppConfig checkedAppConfig() {
        try {
            return new EmoStreamAppConfig(appConfig);
        } catch (ConfigException e) {
            throw new UsageException("--app-config: " + e.getMessage(), e);
        }
    }

    /** The embedded broker, for {@code what} when no --bootstrap-servers is given. */
    static EmbeddedKafka localBroker(String what) {
        BrokerJars.require(what + " without --bootstrap-servers");
        return EmbeddedKafka.start();
    }
}
