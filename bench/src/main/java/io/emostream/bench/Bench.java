package io.emostream.bench;

import io.emostream.ingest.EncodedImage;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the scenarios in one process, in rounds: each round measures every configuration of every scenario once,
 * so that a change of load on a shared machine hits all of them alike, and each ratio is taken within a round.
 * A configuration is reported by its median round. Writes a progress line per measurement.
 */
public final class Bench {
    public enum Scenario {
        SESSION, RUNTIME, PIPELINE, ALL;

        /** @throws IllegalArgumentException naming the accepted values */
        public static Scenario parse(String text) {
            for (Scenario s : values()) {
                if (s.name().equalsIgnoreCase(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown scenario '" + text
                    + "'; use session, runtime, pipeline or all");
        }

        boolean includes(Scenario part) {
            return this == part || this == ALL;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the scenarios vary.
     *
     * @param batchSizes       session: batch sizes
     * @param threads          runtime: caller threads
     * @param partitions       pipeline: partitions of the frames topic
     * @param streamThreads    pipeline: Kafka Streams threads
     * @param instances        pipeline: instances of the application (the others in child processes)
     * @param segmentation     pipeline: without a segmentation model beside the detection model, with, or both
     * @param segmentationModel pipeline: the segmentation model run beside the detection model
     * @param standIn          pipeline: null, or a {@link StandInDetector} of this cost in place of the detection model
     * @param analytics        pipeline: with the camera analytics, without, or both (each configuration twice)
     * @param bootstrapServers pipeline: the cluster; null starts a local broker with {@code localBroker}
     * @param appConfig        pipeline: application settings over the benchmark's own (Kafka Streams tuning)
     * @param settleSeconds    pipeline: how long its largest configuration runs unmeasured before the first round
     */
    public record Knobs(List<Integer> batchSizes, List<Integer> threads, List<Integer> partitions,
                        List<Integer> streamThreads, List<Integer> instances, List<Boolean> segmentation,
                        String segmentationModel, StandInDetector.Cost standIn, List<Boolean> analytics,
                        String bootstrapServers, Map<String, String> appConfig, int settleSeconds) { }

    /** What identifies a pipeline configuration. */
    record PipelineConfig(boolean segmentation, int partitions, int streamThreads, int instances,
                          boolean analytics) {
        PipelineConfig withoutAnalytics() {
            return new PipelineConfig(segmentation, partitions, streamThreads, instances, false);
        }
    }

    /** A broker the pipeline scenario starts for itself when no cluster is given (the command line's embedded one). */
    public interface LocalBroker extends AutoCloseable {
        String bootstrapServers();

        @Override
        void close();
    }

    private final BenchSettings settings;
    private final Knobs knobs;
    private final Supplier<? extends LocalBroker> localBroker;
    private final PrintWriter progress;

    public Bench(BenchSettings settings, Knobs knobs, Supplier<? extends LocalBroker> localBroker,
                 PrintWriter progress) {
        this.settings = settings;
        this.knobs = knobs;
        this.localBroker = localBroker;
        this.progress = progress;
    }

    public BenchReport run(Scenario scenario) throws Exception {
        BenchModel model = BenchModel.resolve(settings.model());
        double loadBefore = MachineState.loadAverage();
        Rounds<Integer, SessionScenario.Row> session = new Rounds<>(SessionScenario.Row::fps);
        Rounds<Integer, RuntimeScenario.Row> runtime = new Rounds<>(RuntimeScenario.Row::fps);
        Rounds<PipelineConfig, PipelineScenario.Row> pipeline = new Rounds<>(PipelineScenario.Row::fps);
        List<EncodedImage> frames = scenario == Scenario.SESSION ? List.of()
                : BenchFrames.jpegs(settings.frameWidth(), settings.frameHeight());
        boolean embed = scenario.includes(Scenario.PIPELINE) && knobs.bootstrapServers() == null;
        String provider = null;
        try (LocalBroker embedded = embed ? localBroker.get() : null) {
            String servers = embedded != null ? embedded.bootstrapServers() : knobs.bootstrapServers();
            if (scenario.includes(Scenario.PIPELINE) && knobs.settleSeconds() > 0) {
                settle(model, frames, servers);
            }
            for (int round = 1; round <= settings.repeats(); round++) {
                say("round %d of %d", round, settings.repeats());
                if (scenario.includes(Scenario.SESSION)) {
                    provider = measureSession(model, knobs.batchSizes(), session);
                }
                if (scenario.includes(Scenario.RUNTIME)) {
                    measureRuntime(model, frames, runtime);
                }
                if (scenario.includes(Scenario.PIPELINE)) {
                    measurePipeline(model, frames, servers, pipeline);
                }
            }
        }
        BenchReport.Summary summary = scenario == Scenario.ALL ? summarise(model, session, runtime, pipeline) : null;
        if (provider == null) {
            provider = runtime.medians().isEmpty() ? pipeline.medians().get(0).provider()
                    : runtime.medians().get(0).provider();
        }
        List<SessionScenario.Row> sessionRows = new ArrayList<>(session.medians());
        sessionRows.sort(java.util.Comparator.comparingInt(SessionScenario.Row::batch));
        int settled = scenario.includes(Scenario.PIPELINE) ? knobs.settleSeconds() : 0;
        return new BenchReport(scenario, model, settings, provider, knobs.appConfig(), settled, loadBefore,
                MachineState.loadAverage(), sessionRows, runtime.medians(), pipeline.medians(),
                analyticsShares(pipeline), summary);
    }

    private String measureSession(BenchModel model, List<Integer> batchSizes,
                                  Rounds<Integer, SessionScenario.Row> rounds) throws Exception {
        try (SessionScenario bench = SessionScenario.open(model, settings)) {
            for (int batch : batchSizes) {
                SessionScenario.Row row = bench.measure(batch);
                say("session batch=%d: %.2f frames/s, %.1f ms per batch (load %.2f)", batch, row.fps(),
                        row.msPerBatch(), row.load());
                rounds.add(batch, row);
            }
            return bench.provider();
        }
    }

    private void measureRuntime(BenchModel model, List<EncodedImage> frames,
                                Rounds<Integer, RuntimeScenario.Row> rounds) throws Exception {
        RuntimeScenario bench = new RuntimeScenario(model, settings, frames);
        for (int threads : knobs.threads()) {
            RuntimeScenario.Row row = bench.measure(threads);
            say("runtime threads=%d: %.2f frames/s, p50 %.1f ms, batch %.2f (load %.2f)", threads, row.fps(),
                    row.latency().p50Ms(), row.stages().meanBatch(), row.load());
            rounds.add(threads, row);
        }
    }

    /**
     * A fresh JVM compiles the code of the broker, the clients and Kafka Streams for minutes: measured through JFR on
     * 2 cores, the JIT compilers took a fifth to a third of the CPU during the first minute of a pipeline and still a
     * twentieth after two. A stream runs for hours, so the rounds should measure it compiled: the largest
     * configuration runs unmeasured first.
     */
    private void settle(BenchModel model, List<EncodedImage> frames, String servers) throws Exception {
        int partitions = Collections.max(knobs.partitions());
        int threads = Collections.max(knobs.streamThreads());
        boolean analytics = model.detection() && knobs.analytics().get(0);
        say("settling: partitions=%d stream-threads=%d analytics=%s for %d s, unmeasured", partitions, threads,
                analytics ? "on" : "off", knobs.settleSeconds());
        PipelineScenario bench = new PipelineScenario(ModelSet.of(model), knobs.standIn(), settings, frames, servers,
                knobs.appConfig());
        long answered = bench.settle(partitions, threads, analytics, Duration.ofSeconds(knobs.settleSeconds()));
        say("settled after %d frames", answered);
    }

    private void measurePipeline(BenchModel model, List<EncodedImage> frames, String servers,
                                 Rounds<PipelineConfig, PipelineScenario.Row> rounds) throws Exception {
        for (boolean segmentation : model.detection() ? knobs.segmentation() : List.of(false)) {
            ModelSet models = segmentation ? ModelSet.withSegmentation(model, knobs.segmentationModel())
                    : ModelSet.of(model);
            PipelineScenario bench = new PipelineScenario(models, knobs.standIn(), settings, frames, servers,
                    knobs.appConfig());
            // the analytics run on the detections: a segmentation model's pipeline has none
            List<Boolean> analytics = model.detection() ? knobs.analytics() : List.of(false);
            for (int partitions : knobs.partitions()) {
                for (int threads : knobs.streamThreads()) {
                    for (int instances : knobs.instances()) {
                        for (boolean on : analytics) {
                            PipelineScenario.Row row = bench.measure(partitions, threads, instances, on);
                            say("pipeline %s partitions=%d stream-threads=%d instances=%d analytics=%s: %.2f frames/s, "
                                            + "p50 %.1f ms at %.1f frames/s, batch %.2f, CPU %.1f ms/frame, peak RSS "
                                            + "%.0f MiB (load %.2f)", row.models(), partitions, threads, instances,
                                    on ? "on" : "off", row.fps(), row.latency().p50Ms(), row.latencyRateFps(),
                                    row.stages().meanBatch(), row.cpuMsPerFrame(), row.peakRssMiB(), row.load());
                            rounds.add(new PipelineConfig(segmentation, partitions, threads, instances, on), row);
                        }
                    }
                }
            }
        }
    }

    /**
     * For each partitions x stream threads measured with and without the analytics, the share of the pipeline's
     * time per frame that the analytics take, within each round and as the median of the rounds: by throughput,
     * 1 - (frames/s with) / (frames/s without), and by the process's CPU time per frame, 1 - without / with.
     */
    private static List<BenchReport.AnalyticsShare> analyticsShares(
            Rounds<PipelineConfig, PipelineScenario.Row> pipeline) {
        List<BenchReport.AnalyticsShare> shares = new ArrayList<>();
        for (PipelineConfig with : pipeline.configs()) {
            PipelineConfig without = with.withoutAnalytics();
            if (!with.analytics() || !pipeline.has(without)) continue;
            List<Double> byFps = shares(pipeline.byRound(with, PipelineScenario.Row::fps),
                    pipeline.byRound(without, PipelineScenario.Row::fps));
            List<Double> byCpu = shares(pipeline.byRound(without, PipelineScenario.Row::cpuMsPerFrame),
                    pipeline.byRound(with, PipelineScenario.Row::cpuMsPerFrame));
            shares.add(new BenchReport.AnalyticsShare(pipeline.median(with).models(), with.partitions(),
                    with.streamThreads(), with.instances(),
                    pipeline.median(with).fps(), pipeline.median(without).fps(), median(byFps), byFps,
                    median(pipeline.byRound(with, PipelineScenario.Row::cpuMsPerFrame)),
                    median(pipeline.byRound(without, PipelineScenario.Row::cpuMsPerFrame)), median(byCpu), byCpu));
        }
        return shares;
    }

    /** Round by round, 1 - {@code part} / {@code whole}. */
    private static List<Double> shares(List<Double> part, List<Double> whole) {
        return ratios(part, whole).stream().map(ratio -> 1 - ratio).toList();
    }

    /**
     * The fastest runtime and pipeline configurations against the bare session at the batch size most of their
     * frames ran in, as the median of the ratios within each round. A batch size the session rounds lack is
     * measured now, as many times as there were rounds.
     */
    private BenchReport.Summary summarise(BenchModel model, Rounds<Integer, SessionScenario.Row> session,
                                          Rounds<Integer, RuntimeScenario.Row> runtime,
                                          Rounds<PipelineConfig, PipelineScenario.Row> pipeline) throws Exception {
        int threads = runtime.fastest();
        PipelineConfig config = pipeline.fastest();
        RuntimeScenario.Row bestRuntime = runtime.median(threads);
        PipelineScenario.Row bestPipeline = pipeline.median(config);
        int runtimeBatch = Math.max(1, bestRuntime.stages().modeBatch());
        int pipelineBatch = Math.max(1, bestPipeline.stages().modeBatch());
        for (int batch : List.of(runtimeBatch, pipelineBatch)) {
            while (session.rounds(batch).size() < settings.repeats()) {
                measureSession(model, List.of(batch), session);
            }
        }
        List<Double> runtimeRatios = ratios(runtime.byRound(threads, RuntimeScenario.Row::fps),
                session.byRound(runtimeBatch, SessionScenario.Row::fps));
        List<Double> pipelineRatios = ratios(pipeline.byRound(config, PipelineScenario.Row::fps),
                session.byRound(pipelineBatch, SessionScenario.Row::fps));
        return new BenchReport.Summary(threads, runtimeBatch, bestRuntime.fps(), session.median(runtimeBatch).fps(),
                median(runtimeRatios), runtimeRatios, config.partitions(), config.streamThreads(), config.analytics(),
                pipelineBatch, bestPipeline.fps(), session.median(pipelineBatch).fps(), median(pipelineRatios),
                pipelineRatios);
    }

    /** Round by round, {@code fps} over {@code reference}. */
    private static List<Double> ratios(List<Double> fps, List<Double> reference) {
        List<Double> out = new ArrayList<>();
        for (int round = 0; round < fps.size(); round++) {
            out.add(fps.get(round) / reference.get(round));
        }
        return out;
    }

    private static double median(List<Double> values) {
        return Latencies.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private void say(String format, Object... args) {
        progress.println(String.format(Locale.ROOT, format, args));
        progress.flush();
    }
}
