package io.emostream.cli;

import io.emostream.bench.BenchFrames;
import io.emostream.bench.BenchModel;
import io.emostream.bench.FailoverScenario;
import io.emostream.bench.ModelSet;
import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.models.runtime.RuntimeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code emostream bench failover}: how long a killed instance's cameras wait for their results. */
@Command(name = "failover", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Runs two instances of the run application (this process and a child process) under "
                        + "exactly_once_v2 (unless --app-config sets processing.guarantee) with the detection model, "
                        + "sends frames at --fps over --cameras, and after --kill-after seconds, once every camera "
                        + "has a result, kills the child as kill -9 would. Frames keep coming until every camera "
                        + "has a result for a frame captured after the kill. Prints, per camera, the pause: its "
                        + "last result written before the kill to its first after it (the survivor's cameras show "
                        + "their frame interval).",
                "The last line: failover pause_ms=<longest pause> max_latency_ms=<longest capture-to-result time "
                        + "of a frame captured after the kill> frames=<N> answered=<N> lost=<N> duplicated=<N>; "
                        + "results are read read_committed, so lost and duplicated are 0 when exactly-once held.",
                "Exit codes: 0 it ran, 1 runtime failure, 2 bad usage."})
public final class BenchFailoverCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--fps", defaultValue = "4", paramLabel = "F",
            description = "Frames per second sent, all cameras together (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--cameras", defaultValue = "4", paramLabel = "N",
            description = "Cameras, one partition each, shared by the two instances (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(names = "--kill-after", defaultValue = "20", paramLabel = "S",
            description = "Seconds of frames before the child instance is killed (default: ${DEFAULT-VALUE}).")
    int killAfter;

    @Option(names = "--detection-model", defaultValue = "emo-1m-ssdlite", paramLabel = "NAME|FILE",
            description = "Detection model (default: ${DEFAULT-VALUE}).")
    String detectionModel;

    @Mixin
    ClusterOption cluster;

    @Option(names = "--app-config", paramLabel = "KEY=VALUE",
            description = "An application setting (emostream or Kafka Streams key), for both instances; repeatable.")
    Map<String, String> appConfig = new LinkedHashMap<>();

    @Mixin
    BenchRuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        FailoverScenario.Settings settings;
        RuntimeConfig runtimeConfig;
        ModelSet models;
        int width;
        int height;
        try {
            settings = new FailoverScenario.Settings(fps, cameras, killAfter);
            runtimeConfig = runtime.runtimeConfig();
            width = runtime.frameWidth();
            height = runtime.frameHeight();
            models = ModelSet.of(BenchModel.resolve(detectionModel));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        BenchCommand.checkedAppConfig(appConfig);
        try (EmbeddedKafka broker = cluster.bootstrapServers == null ? BenchCommand.localBroker("bench failover")
                : null) {
            String servers = broker != null ? broker.bootstrapServers() : cluster.bootstrapServers;
            new FailoverScenario(models, runtimeConfig, settings, BenchFrames.jpegs(width, height), servers,
                    appConfig).run(spec.commandLine().getOut());
        }
        return Main.EXIT_OK;
    }
}
