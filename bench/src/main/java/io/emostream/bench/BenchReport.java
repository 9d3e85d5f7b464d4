package io.emostream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.emostream.models.runtime.ExecutionProvider;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.schemas.config.SecretMasking;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one {@code bench} run measured: printed as tables, written as JSON with the same figures. */
public record BenchReport(Bench.Scenario scenario, BenchModel model, BenchSettings settings, String provider,
                          Map<String, String> appConfig, int settleSeconds, double loadBefore, double loadAfter,
                          List<SessionScenario.Row> session, List<RuntimeScenario.Row> runtime,
                          List<PipelineScenario.Row> pipeline, List<AnalyticsShare> analyticsShares,
                          Summary summary) {

    /**
     * A pipeline configuration measured with and without the camera analytics: the share of its time per frame the
     * analytics take, as the median of the shares within each round ({@code ...ByRound}). By throughput,
     * {@code 1 - fpsWith / fpsWithout} (the frames per second are those of the median rounds); by the process's CPU
     * time per frame, {@code 1 - cpuMsWithout / cpuMsWith} (the CPU times are the medians of the rounds), which a
     * loaded machine disturbs far less.
     */
    public record AnalyticsShare(String models, int partitions, int streamThreads, int instances, double fpsWith, double fpsWithout, double share,
                                 List<Double> shareByRound, double cpuMsWith, double cpuMsWithout, double cpuShare,
                                 List<Double> cpuShareByRound) { }

    /**
     * {@code bench all}: the fastest runtime and pipeline configurations against the bare session at the batch size
     * most of their frames ran in. Each ratio is the median of the ratios within each round ({@code ...ByRound}),
     * so it need not equal the quotient of the medians.
     */
    public record Summary(int runtimeThreads, int runtimeBatch, double runtimeFps, double sessionFpsAtRuntimeBatch,
                          double runtimeVsSession, List<Double> runtimeVsSessionByRound, int pipelinePartitions,
                          int pipelineStreamThreads, boolean pipelineAnalytics, int pipelineBatch, double pipelineFps,
                          double sessionFpsAtPipelineBatch, double pipelineVsSession,
                          List<Double> pipelineVsSessionByRound) { }

    /**
     * The runtime settings every scenario ran with, resolved for the provider in use as the runtime resolves them; the
     * stand-in model runs no session, so its runs resolve as the CPU runtime would.
     */
    private RuntimeConfig resolved() {
        ExecutionProvider inUse = StandInDetector.PROVIDER.equals(provider) ? ExecutionProvider.CPU
                : ExecutionProvider.parse(provider);
        return settings.runtime().resolvedFor(inUse, Runtime.getRuntime().availableProcessors());
    }

    /** "intra-op threads 1 x 2 batches in flight (auto)": what the session, the runtime and the pipeline share. */
    private String threads() {
        RuntimeConfig resolved = resolved();
        boolean auto = settings.runtime().intraOpThreads() == 0 || settings.runtime().batchConcurrency() == 0;
        return String.format(Locale.ROOT, "intra-op threads %s x %d batches in flight%s",
                resolved.intraOpThreads() == 0 ? "default" : String.valueOf(resolved.intraOpThreads()),
                resolved.batchConcurrency(), auto ? " (auto)" : "");
    }

    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "emostream bench %s: model %s%s, provider %s, %d CPUs, load average %.2f -> %.2f%n",
                scenario.id(), model.name(), model.card().untrained() ? " (UNTRAINED weights: speed only)" : "",
                provider, Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
        out.printf(Locale.ROOT, "%d rounds of %d frames per configuration after %d warm-up frames (figures: the "
                        + "median round), JPEG %dx%d, batcher max %d / %d ms, %s%n",
                settings.repeats(), settings.frames(), settings.warmup(),
                settings.frameWidth(), settings.frameHeight(), settings.runtime().maxBatch(),
                settings.runtime().maxWaitMs(), threads());
        if (!session.isEmpty()) {
            out.println();
            out.println("session: bare ONNX Runtime, inputs already in tensors, as many calls at once as batches in "
                    + "flight (the ceiling)");
            TextTable table = new TextTable("batch", "frames/s", "ms/batch", "CPU ms/frame", "load");
            session.forEach(r -> table.add(r.batch(), r.fps(), r.msPerBatch(), r.cpuMsPerFrame(), r.load()));
            table.print(out);
        }
        if (!runtime.isEmpty()) {
            out.println();
            out.println("runtime: JPEG decode + pre-processing + dynamic batcher + post-processing, no Kafka"
                    + " (stage columns: ms per frame)");
            TextTable table = new TextTable("threads", "frames/s", "p50 ms", "p95 ms", "p99 ms", "decode+pre",
                    "queue", "inference", "post", "mean batch", "mode batch", "load");
            runtime.forEach(r -> table.add(r.threads(), r.fps(), r.latency().p50Ms(), r.latency().p95Ms(),
                    r.latency().p99Ms(), r.stages().decodeMs(), r.stages().queueMs(), r.stages().inferenceMs(),
                    r.stages().postprocessMs(), r.stages().meanBatch(), r.stages().modeBatch(), r.load()));
            table.print(out);
        }
        if (!pipeline.isEmpty()) {
            out.println();
            out.printf(Locale.ROOT, "pipeline: broker + Kafka Streams + Avro + runtime; latency = capture to result "
                    + "written, frames sent at %.0f%% of the measured rate%s%s%n", PipelineScenario.LATENCY_LOAD * 100,
                    settleSeconds > 0 ? "; after " + settleSeconds + " s of unmeasured settling" : "",
                    appConfig.isEmpty() ? "" : "; application settings " + SecretMasking.masked(appConfig));
            TextTable table = new TextTable("models", "partitions", "threads", "instances", "analytics", "frames/s",
                    "p50 ms", "p95 ms", "p99 ms", "at fps", "decode+pre", "queue", "inference", "post", "mean batch",
                    "mode batch", "CPU ms/frame", "model CPU ms/frame", "peak RSS MiB", "load");
            pipeline.forEach(r -> table.add(r.models(), r.partitions(), r.streamThreads(), r.instances(),
                    onOff(r.analytics()), r.fps(), r.latency().p50Ms(), r.latency().p95Ms(), r.latency().p99Ms(), r.latencyRateFps(),
                    r.stages().decodeMs(), r.stages().queueMs(), r.stages().inferenceMs(), r.stages().postprocessMs(),
                    r.stages().meanBatch(), r.stages().modeBatch(), r.cpuMsPerFrame(), r.modelCpuMsPerFrame(),
                    r.peakRssMiB(), r.load()));
            table.print(out);
        }
        if (!analyticsShares.isEmpty()) {
            out.println();
            out.println("analytics: their share of the pipeline's time per frame, by throughput 1 - (frames/s with) / "
                    + "(frames/s without) and by CPU 1 - (CPU ms/frame without) / (CPU ms/frame with); medians of "
                    + "the rounds' shares");
            TextTable table = new TextTable("models", "partitions", "threads", "instances", "frames/s with", "without",
                    "share %", "by round", "CPU ms/frame with", "without", "CPU share %", "by round");
            analyticsShares.forEach(a -> table.add(a.models(), a.partitions(), a.streamThreads(), a.instances(),
                    a.fpsWith(), a.fpsWithout(), 100 * a.share(), percents(a.shareByRound()), a.cpuMsWith(), a.cpuMsWithout(), 100 * a.cpuShare(),
                    percents(a.cpuShareByRound())));
            table.print(out);
        }
        if (summary != null) {
            out.println();
            out.printf(Locale.ROOT, "summary: runtime %d threads %s frames/s vs session at batch %d %s frames/s; "
                            + "pipeline %d partitions x %d threads, analytics %s, %s frames/s vs session at batch %d "
                            + "%s frames/s%n",
                    summary.runtimeThreads(), TextTable.format(summary.runtimeFps()), summary.runtimeBatch(),
                    TextTable.format(summary.sessionFpsAtRuntimeBatch()), summary.pipelinePartitions(),
                    summary.pipelineStreamThreads(), onOff(summary.pipelineAnalytics()),
                    TextTable.format(summary.pipelineFps()), summary.pipelineBatch(),
                    TextTable.format(summary.sessionFpsAtPipelineBatch()));
            out.printf(Locale.ROOT, "ratios per round: runtime %s, pipeline %s (the lines below: their medians)%n",
                    rounded(summary.runtimeVsSessionByRound()), rounded(summary.pipelineVsSessionByRound()));
            out.printf(Locale.ROOT, "runtime_vs_session=%.3f%n", summary.runtimeVsSession());
            out.printf(Locale.ROOT, "pipeline_vs_session=%.3f%n", summary.pipelineVsSession());
        }
        out.flush();
    }

    private static List<String> percents(List<Double> shares) {
        return shares.stream().map(s -> TextTable.format(100 * s)).toList();
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    private static String rounded(List<Double> ratios) {
        return ratios.stream().map(r -> String.format(Locale.ROOT, "%.3f", r)).toList().toString();
    }

    /** The figures of the tables, plus the settings and the machine, as one JSON document. */
    public Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenario", scenario.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", model.name());
        m.put("file", model.onnx().toString());
        m.put("untrained", model.card().untrained());
        doc.put("model", m);
        doc.put("provider", provider);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("loadAverageBefore", loadBefore);
        machine.put("loadAverageAfter", loadAfter);
        doc.put("machine", machine);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("frames", settings.frames());
        s.put("warmup", settings.warmup());
        s.put("rounds", settings.repeats());
        s.put("frameWidth", settings.frameWidth());
        s.put("frameHeight", settings.frameHeight());
        s.put("maxBatch", settings.runtime().maxBatch());
        s.put("maxWaitMs", settings.runtime().maxWaitMs());
        RuntimeConfig resolved = resolved();
        s.put("intraOpThreads", resolved.intraOpThreads());
        s.put("batchConcurrency", resolved.batchConcurrency());
        s.put("threadsAuto", settings.runtime().intraOpThreads() == 0 && settings.runtime().batchConcurrency() == 0);
        s.put("latencyLoad", PipelineScenario.LATENCY_LOAD);
        s.put("settleSeconds", settleSeconds);
        s.put("appConfig", SecretMasking.masked(appConfig));
        doc.put("settings", s);
        doc.put("session", session);
        doc.put("runtime", runtime);
        doc.put("pipeline", pipeline);
        doc.put("analyticsShare", analyticsShares);
        if (summary != null) {
            doc.put("summary", summary);
        }
        return doc;
    }

    public void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json());
    }
}
