package io.emostream.cli;

import io.emostream.models.runtime.ExecutionProvider;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.bench.Bench;
import io.emostream.cli.embedded.BrokerJars;
import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.bench.BenchReport;
import io.emostream.bench.BenchSettings;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code emostream bench}: how close the pipeline comes to the bare model's speed, and how it scales. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Measures, in one process so that ratios hold on a busy machine:",
                "  session   the bare ONNX Runtime session at each batch size, inputs already in tensors (the ceiling)",
                "  runtime   JPEG decode + pre-processing + dynamic batcher + post-processing from N caller threads",
                "  pipeline  frames through a broker (embedded unless --bootstrap-servers), the Kafka Streams "
                        + "application with T stream threads over P partitions, its camera analytics on, off or "
                        + "both (--analytics), results consumed",
                "  all       the three, and a summary with pipeline_vs_session=<ratio>: the fastest pipeline's "
                        + "frames/s over the session's at the batch size most of its frames ran in",
                "Runs --repeats rounds, each measuring every configuration once; a configuration reports its median "
                        + "round and the load average it ran under, a ratio the median of its per-round ratios. "
                        + "Results as tables on stdout, optionally as JSON.",
                "Exit codes: 0 done, 1 runtime failure, 2 bad usage."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "session, runtime, pipeline or all.")
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

    @Option(names = "--stream-threads", split = ",", defaultValue = "1,2", paramLabel = "N",
            description = "pipeline: Kafka Streams threads (default: ${DEFAULT-VALUE}).")
    List<Integer> streamThreads;

    @Option(names = "--analytics", arity = "1", split = ",", paramLabel = "true|false",
            description = "pipeline: with the camera analytics (tracking, zones and lines, statistics) after the "
                    + "detections, without, or true,false for both and the share of the time they take "
                    + "(default: as " + CameraAnalytics.ENABLED + " says, on unless --app-config turns it off).")
    List<Boolean> analytics;

    @Mixin
    ClusterOption cluster;

    @Option(names = "--app-config", paramLabel = "KEY=VALUE",
            description = "pipeline: an application setting (emostream or Kafka Streams key, e.g. "
                    + "producer.linger.ms=5); repeatable.")
    Map<String, String> appConfig = new LinkedHashMap<>();

    @Option(names = "--provider", defaultValue = "auto",
            description = "Execution provider: auto, cuda, tensorrt or cpu (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--device-id", defaultValue = "0", description = "GPU ordinal (default: ${DEFAULT-VALUE}).")
    int deviceId;

    @Option(names = "--intra-op-threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime intra-op threads per session call, 0 = auto as intra.op.threads "
                    + "(default: ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(names = "--batch-concurrency", defaultValue = "0", paramLabel = "N",
            description = "Batches in flight per model, and session calls at once in the session scenario, 0 = auto "
                    + "as batch.concurrency (default: ${DEFAULT-VALUE}).")
    int batchConcurrency;

    @Option(names = "--max-batch", paramLabel = "N", description = "Largest batch the dynamic batcher forms "
            + "(default: the runtime's default).")
    Integer maxBatch;

    @Option(names = "--max-wait-ms", paramLabel = "MS", description = "Longest the batcher waits for company "
            + "(default: the runtime's default).")
    Long maxWaitMs;

    @Option(names = "--frame-size", defaultValue = "640x480", paramLabel = "WxH",
            description = "Size of the synthetic JPEG frames (default: ${DEFAULT-VALUE}).")
    String frameSize;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to this file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        Bench.Scenario which;
        BenchSettings settings;
        try {
            which = Bench.Scenario.parse(scenario);
            settings = new BenchSettings(model, frames, warmup, repeats, runtimeConfig(), size(0), size(1));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        check("--batch-sizes", batchSizes, 1024);
        check("--threads", threads, 256);
        check("--partitions", partitions, 1000);
        check("--stream-threads", streamThreads, 64);
        EmoStreamAppConfig checked;
        try {
            checked = new EmoStreamAppConfig(appConfig); // checks the emostream keys and values before anything runs
        } catch (ConfigException e) {
            throw new UsageException("--app-config: " + e.getMessage(), e);
        }
        if (analytics == null) {
            analytics = List.of(checked.getBoolean(CameraAnalytics.ENABLED));
        } else if (appConfig.containsKey(CameraAnalytics.ENABLED)) {
            throw new UsageException("--analytics and --app-config " + CameraAnalytics.ENABLED + " both say whether "
                    + "the analytics run; keep --analytics");
        } else if (analytics.size() != Set.copyOf(analytics).size()) {
            throw new UsageException("--analytics takes true, false or true,false; got " + analytics);
        }
        if (json != null) {
            Path dir = json.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw new UsageException("--json " + json + ": its directory does not exist or is not writable");
            }
        }
        Bench bench = new Bench(settings, new Bench.Knobs(batchSizes, threads, partitions, streamThreads, analytics,
                cluster.bootstrapServers, appConfig), () -> {
                    BrokerJars.require("the pipeline scenario without --bootstrap-servers");
                    return EmbeddedKafka.start();
                }, spec.commandLine().getErr());
        BenchReport report;
        try {
            report = bench.run(which);
        } catch (IllegalArgumentException e) {
            // an unknown model name or file, a batch too large for memory: the user's to fix
            throw new UsageException(e.getMessage(), e);
        }
        report.print(spec.commandLine().getOut());
        if (json != null) {
            try {
                report.writeJson(json);
            } catch (IOException e) {
                throw new IOException("cannot write --json " + json + ": " + e.getMessage(), e);
            }
        }
        return Main.EXIT_OK;
    }

    private RuntimeConfig runtimeConfig() {
        RuntimeConfig.Builder config = RuntimeConfig.builder().provider(ExecutionProvider.parse(provider))
                .deviceId(deviceId).intraOpThreads(intraOpThreads).batchConcurrency(batchConcurrency);
        if (maxBatch != null) {
            config.maxBatch(maxBatch);
        }
        if (maxWaitMs != null) {
            config.maxWaitMs(maxWaitMs);
        }
        return config.build();
    }

    private int size(int index) {
        String[] parts = frameSize.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                return Integer.parseInt(parts[index].trim());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--frame-size must be WIDTHxHEIGHT, e.g. 640x480; got '" + frameSize + "'");
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
