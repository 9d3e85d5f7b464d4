package io.emostream.cli;

import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.bench.Bench;
import io.emostream.bench.BenchReport;
import io.emostream.bench.BenchSettings;
import io.emostream.bench.StandInDetector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code emostream bench}: how close the pipeline comes to the bare model's speed, and how it scales. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, subcommands = {BenchSoakCommand.class,
        BenchFailoverCommand.class},
        description = {
                "Measures, in one process so that ratios hold on a busy machine:",
                "  session   the bare ONNX Runtime session at each batch size, inputs already in tensors (the ceiling)",
                "  runtime   JPEG decode + pre-processing + dynamic batcher + post-processing from N caller threads",
                "  pipeline  frames through a broker (embedded unless --bootstrap-servers), the Kafka Streams "
                        + "application with T stream threads over P partitions in I instances, detection alone or "
                        + "with segmentation, its camera analytics on, off or both (--analytics), results consumed; "
                        + "--curve for the scaling curve",
                "  soak      (its own options: bench soak --help) the whole pipeline at a fixed rate for minutes, "
                        + "memory and latency sampled every minute, a verdict on creep",
                "  failover  (its own options: bench failover --help) two instances under exactly_once_v2, one "
                        + "killed with SIGKILL mid-stream: how long its cameras wait, nothing lost or duplicated",
                "  all       the three, and a summary with pipeline_vs_session=<ratio>: the fastest pipeline's "
                        + "frames/s over the session's at the batch size most of its frames ran in",
                "Runs --repeats rounds, each measuring every configuration once; a configuration reports its median "
                        + "round and the load average it ran under, a ratio the median of its per-round ratios. "
                        + "Results as tables on stdout, optionally as JSON.",
                "Exit codes: 0 done, 1 runtime failure, 2 bad usage."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO",
            description = "session, runtime, pipeline or all (soak and failover are subcommands).")
    String scenario;

    @Option(names = "--model", defaultValue = "emo-1m-ssdlite", paramLabel = "NAME|FILE",
            description = "Built-in model name or .onnx file with its card (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--frames", defaultValue = "64", description = "Frames measured per configuration and round "
            + "(default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--warmup", defaultValue = "16", paramLabel = "FRAMES",
            description = "Frames run before measuring each configuration (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--repeats", defaultValue = "3", description = "Rounds, each measuring every configuration once,"
            + " so that load changes hit all alike; the median round is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,2,4,8,16", paramLabel = "N",
            description = "session: batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--threads", split = ",", defaultValue = "1,2,4", paramLabel = "N",
            description = "runtime: caller threads (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--partitions", split = ",", defaultValue = "1,4", paramLabel = "N",
            description = "pipeline: partitions of the frames topic (default: ${DEFAULT-VALUE}).")
    List<Integer> partitions;

    // 4: on 2 cores two batches are in flight (batch.concurrency auto), and a stream thread has one frame in flight,
    // which spends part of its time outside the session call: two threads cannot keep both calls busy
    @Option(names = "--stream-threads", split = ",", defaultValue = "1,2,4", paramLabel = "N",
            description = "pipeline: Kafka Streams threads (default: ${DEFAULT-VALUE}).")
    List<Integer> streamThreads;

    @Option(names = "--instances", split = ",", defaultValue = "1", paramLabel = "N",
            description = "pipeline: instances of the application on the broker, this process and N-1 child "
                    + "processes with the same application id (default: ${DEFAULT-VALUE}).")
    List<Integer> instances;

    @Option(names = "--segmentation", arity = "1", split = ",", defaultValue = "false", paramLabel = "true|false",
            description = "pipeline: a segmentation model (--segmentation-model) beside the detection model, each "
                    + "frame answered by both; true,false for both ways (default: ${DEFAULT-VALUE}).")
    List<Boolean> segmentation;

    @Option(names = "--segmentation-model", defaultValue = "emo-1m-deeplabv3", paramLabel = "NAME|FILE",
            description = "pipeline: the segmentation model of --segmentation (default: ${DEFAULT-VALUE}).")
    String segmentationModel;

    @Option(names = "--settle", defaultValue = "60", paramLabel = "SECONDS",
            description = "pipeline: before the first round, its largest configuration runs this long unmeasured, "
                    + "so that the rounds measure code the JVM has compiled; 0 skips it (default: ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Option(names = "--curve", description = "pipeline: the scaling curve: --partitions 1,2,4,8 --stream-threads "
            + "1,2,4 --instances 1,2 --segmentation false,true (replacing those options).")
    boolean curve;

    @Option(names = "--stand-in", paramLabel = "FIXED_MS,PER_FRAME_MS",
            description = "pipeline: instead of the detection model, a stand-in whose batch call waits FIXED_MS + "
                    + "PER_FRAME_MS per frame, like a GPU (the real pre-processing and batcher; detects nothing): "
                    + "how batch sizes follow the frames in flight.")
    String standIn;

    @Option(names = "--analytics", arity = "1", split = ",", paramLabel = "true|false",
            description = "pipeline: with the camera analytics (tracking, zones and lines, statistics) after the "
                    + "detections, without, or true,false for both and the share of the time they take "
                    + "(default: as " + CameraAnalytics.ENABLED + " says, on unless --app-config turns it off).")
    List<Boolean> analytics;

    @Mixin
    BenchPipelineOptions pipeline;

    @Mixin
    BenchJsonOption json;

    @Override
    public Integer call() throws Exception {
        Bench.Scenario which;
        BenchSettings settings;
        if (scenario == null) {
            throw new UsageException("missing scenario: session, runtime, pipeline, all, soak or failover");
        }
        try {
            which = Bench.Scenario.parse(scenario);
            BenchRuntimeOptions runtime = pipeline.runtime;
            settings = new BenchSettings(model, frames, warmup, repeats, runtime.runtimeConfig(), runtime.frameWidth(),
                    runtime.frameHeight());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        check("--batch-sizes", batchSizes, 1024);
        check("--threads", threads, 256);
        check("--partitions", partitions, 1000);
        check("--stream-threads", streamThreads, 64);
        check("--instances", instances, 8);
        if (settleSeconds < 0 || settleSeconds > 3600) {
            throw new UsageException("--settle must be 0..3600 seconds, got " + settleSeconds);
        }
        if (curve) {
            partitions = List.of(1, 2, 4, 8);
            streamThreads = List.of(1, 2, 4);
            instances = List.of(1, 2);
            segmentation = List.of(false, true);
        }
        StandInDetector.Cost standInCost = null;
        if (standIn != null) {
            try {
                standInCost = StandInDetector.Cost.parse(standIn);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
            if (instances.stream().anyMatch(n -> n > 1) || segmentation.contains(true)) {
                throw new UsageException("--stand-in runs alone in one instance: no --instances above 1, no "
                        + "--segmentation true");
            }
        }
        EmoStreamAppConfig checked = pipeline.checkedAppConfig();
        if (analytics == null) {
            analytics = List.of(checked.getBoolean(CameraAnalytics.ENABLED));
        } else if (pipeline.appConfig.containsKey(CameraAnalytics.ENABLED)) {
            throw new UsageException("--analytics and --app-config " + CameraAnalytics.ENABLED + " both say whether "
                    + "the analytics run; keep --analytics");
        } else if (analytics.size() != Set.copyOf(analytics).size()) {
            throw new UsageException("--analytics takes true, false or true,false; got " + analytics);
        }
        json.checkTarget();
        Bench bench = new Bench(settings, new Bench.Knobs(batchSizes, threads, partitions, streamThreads, instances,
                segmentation, segmentationModel, standInCost, analytics, pipeline.cluster.bootstrapServers,
                pipeline.appConfig, settleSeconds), () -> BenchPipelineOptions.localBroker("the pipeline scenario"),
                spec.commandLine().getErr());
        BenchReport report;
        try {
            report = bench.run(which);
        } catch (IllegalArgumentException e) {
            // an unknown model name or file, a batch too large for memory: the user's to fix
            throw new UsageException(e.getMessage(), e);
        }
        report.print(spec.commandLine().getOut());
        json.write(report::writeJson);
        return Main.EXIT_OK;
    }

    private static void check(String option, List<Integer> values, int max) {
        if (values.isEmpty()) {
            throw new UsageException(option + " needs at least one value");
        }
        for (int v : values) {
            if (v < 1 || v > max) {
                throw new UsageException(option + " values must be 1.." + max + ", got " + v);
            }
        }
    }
}
