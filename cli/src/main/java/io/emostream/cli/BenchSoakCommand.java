package io.emostream.cli;

import io.emostream.bench.BenchModel;
import io.emostream.bench.ModelSet;
import io.emostream.bench.SoakScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code emostream bench soak}: the whole pipeline at a fixed rate for minutes, watching for creep. */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Feeds the whole pipeline (broker, the run application's topology with both models and the camera "
                        + "analytics) at a fixed rate below its capacity for --minutes, and every minute prints a row: "
                        + "frames sent and answered, dead letters, this process's resident memory (VmRSS), Java heap "
                        + "in use, direct buffers, and p50/p95 latency (capture to last result written) of the "
                        + "frames answered in that minute.",
                "The last line is the verdict: verdict=PASS|FAIL rss_growth=<%%> p95_drift=<%%> frames=<N> "
                        + "answered=<N> dlq=<N> lost=<N>. PASS needs resident memory at the end within 5%% of the "
                        + "first sample after the warm-up, the p95 latency of the second half of the samples after "
                        + "the warm-up within 10%% of the first half's, and every frame answered.",
                "Exit codes: 0 the soak ran (whatever its verdict), 1 runtime failure, 2 bad usage."})
public final class BenchSoakCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--minutes", required = true, paramLabel = "N", description = "Length of the run, 3 or more.")
    int minutes;

    @Option(names = "--fps", defaultValue = "2", paramLabel = "F",
            description = "Frames per second sent, all cameras together; keep it below the pipeline's capacity "
                    + "(bench pipeline measures it) (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--warmup-minutes", paramLabel = "N",
            description = "Minutes left out of the verdict at the start (default: a sixth of --minutes, at least 1).")
    Integer warmupMinutes;

    @Option(names = "--cameras", defaultValue = "2", paramLabel = "N",
            description = "Cameras, one partition each (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(names = "--stream-threads", defaultValue = "2", paramLabel = "N",
            description = "Kafka Streams threads (default: ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--detection-model", defaultValue = "emo-1m-ssdlite", paramLabel = "NAME|FILE",
            description = "Detection model (default: ${DEFAULT-VALUE}).")
    String detectionModel;

    @Option(names = "--segmentation-model", defaultValue = "emo-1m-deeplabv3", paramLabel = "NAME|FILE",
            description = "Segmentation model (default: ${DEFAULT-VALUE}).")
    String segmentationModel;

    /** Testing: a "minute" of this many seconds, so that a smoke test takes seconds. */
    @Option(names = "--sample-seconds", defaultValue = "60", hidden = true)
    int sampleSeconds;

    @Mixin
    BenchPipelineOptions pipeline;

    @Mixin
    BenchJsonOption json;

    @Override
    public Integer call() throws Exception {
        SoakScenario.Settings settings;
        try {
            settings = new SoakScenario.Settings(minutes, warmupMinutes != null ? warmupMinutes
                    : Math.max(1, minutes / 6), sampleSeconds, fps, cameras, streamThreads);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        json.checkTarget();
        SoakScenario.Report report = pipeline.run("bench soak",
                () -> new ModelSet(BenchModel.resolve(detectionModel), BenchModel.resolve(segmentationModel)),
                (models, runtime, frames, servers, appConfig) -> new SoakScenario(models, runtime, settings, frames,
                        servers, appConfig).run(spec.commandLine().getOut()));
        json.write(report::writeJson);
        return Main.EXIT_OK;
    }
}
