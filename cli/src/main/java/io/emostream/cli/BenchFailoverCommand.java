package io.emostream.cli;

import io.emostream.bench.BenchModel;
import io.emostream.bench.FailoverScenario;
import io.emostream.bench.ModelSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
    BenchPipelineOptions pipeline;

    @Override
    public Integer call() throws Exception {
        FailoverScenario.Settings settings;
        try {
            settings = new FailoverScenario.Settings(fps, cameras, killAfter);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        pipeline.run("bench failover", () -> ModelSet.of(BenchModel.resolve(detectionModel)),
                (models, runtime, frames, servers, appConfig) -> new FailoverScenario(models, runtime, settings,
                        frames, servers, appConfig).run(spec.commandLine().getOut()));
        return Main.EXIT_OK;
    }
}
