package io.emostream.topology.bench;

import io.emostream.ingest.EncodedImage;
import io.emostream.topology.embedded.EmbeddedKafka;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the scenarios in one process, one after the other, so that their ratios hold on a noisy machine, and writes
 * a progress line per measured configuration.
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
     * @param bootstrapServers pipeline: the cluster; null starts an embedded broker
     * @param appConfig        pipeline: application settings over the benchmark's own (Kafka Streams tuning)
     */
    public record Knobs(List<Integer> batchSizes, List<Integer> threads, List<Integer> partitions,
                        List<Integer> streamThreads, String bootstrapServers, Map<String, String> appConfig) { }

    private final BenchSettings settings;
    private final Knobs knobs;
    private final PrintWriter progress;

    public Bench(BenchSettings settings, Knobs knobs, PrintWriter progress) {
        this.settings = settings;
        this.knobs = knobs;
        this.progress = progress;
    }

    public BenchReport run(Scenario scenario) throws Exception {
        BenchModel model = BenchModel.resolve(settings.model());
        double loadBefore = MachineState.loadAverage();
        List<SessionScenario.Row> session = new ArrayList<>();
        List<RuntimeScenario.Row> runtime = new ArrayList<>();
        List<PipelineScenario.Row> pipeline = new ArrayList<>();
        String provider = null;
        if (scenario.includes(Scenario.SESSION)) {
            provider = measureSession(model, knobs.batchSizes(), session);
        }
        if (scenario != Scenario.SESSION) {
            List<EncodedImage> frames = BenchFrames.jpegs(settings.frameWidth(), settings.frameHeight());
            if (scenario.includes(Scenario.RUNTIME)) {
                RuntimeScenario bench = new RuntimeScenario(model, settings, frames);
                for (int threads : knobs.threads()) {
                    RuntimeScenario.Row row = bench.measure(threads);
                    say("runtime threads=%d: %.2f frames/s, p50 %.1f ms, batch %.2f (load %.2f)", threads, row.fps(),
                            row.latency().p50Ms(), row.stages().meanBatch(), row.load());
                    runtime.add(row);
                }
            }
            if (scenario.includes(Scenario.PIPELINE)) {
                measurePipeline(model, frames, pipeline);
            }
        }
        BenchReport.Summary summary = null;
        if (scenario == Scenario.ALL) {
            summary = summarise(model, session, runtime, pipeline);
        }
        if (provider == null) {
            provider = !runtime.isEmpty() ? runtime.get(0).provider() : pipeline.get(0).provider();
        }
        return new BenchReport(scenario, model, settings, provider, knobs.appConfig(), loadBefore,
                MachineState.loadAverage(), session, runtime, pipeline, summary);
    }

    private String measureSession(BenchModel model, List<Integer> batchSizes, List<SessionScenario.Row> rows)
            throws Exception {
        try (SessionScenario bench = SessionScenario.open(model, settings)) {
            for (int batch : batchSizes) {
                SessionScenario.Row row = bench.measure(batch);
                say("session batch=%d: %.2f frames/s, %.1f ms per batch (load %.2f)", batch, row.fps(),
                        row.msPerBatch(), row.load());
                rows.add(row);
            }
            return bench.provider();
        }
    }

    private void measurePipeline(BenchModel model, List<EncodedImage> frames, List<PipelineScenario.Row> rows)
            throws Exception {
        EmbeddedKafka embedded = knobs.bootstrapServers() == null ? EmbeddedKafka.start() : null;
        try {
            String servers = embedded != null ? embedded.bootstrapServers() : knobs.bootstrapServers();
            PipelineScenario bench = new PipelineScenario(model, settings, frames, servers, knobs.appConfig());
            for (int partitions : knobs.partitions()) {
                for (int threads : knobs.streamThreads()) {
                    PipelineScenario.Row row = bench.measure(partitions, threads);
                    say("pipeline partitions=%d stream-threads=%d: %.2f frames/s, p50 %.1f ms at %.1f frames/s, "
                                    + "batch %.2f, peak RSS %.0f MiB (load %.2f)", partitions, threads, row.fps(),
                            row.latency().p50Ms(), row.latencyRateFps(), row.stages().meanBatch(), row.peakRssMiB(),
                            row.load());
                    rows.add(row);
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /**
     * The best runtime and pipeline configurations against the bare session at the batch size most of their frames
     * ran in; a batch size the session table lacks is measured now.
     */
    private BenchReport.Summary summarise(BenchModel model, List<SessionScenario.Row> session,
                                          List<RuntimeScenario.Row> runtime, List<PipelineScenario.Row> pipeline)
            throws Exception {
        RuntimeScenario.Row bestRuntime = runtime.stream().max(Comparator.comparingDouble(RuntimeScenario.Row::fps))
                .orElseThrow();
        PipelineScenario.Row bestPipeline = pipeline.stream()
                .max(Comparator.comparingDouble(PipelineScenario.Row::fps)).orElseThrow();
        int runtimeBatch = Math.max(1, bestRuntime.stages().modeBatch());
        int pipelineBatch = Math.max(1, bestPipeline.stages().modeBatch());
        List<Integer> missing = new ArrayList<>();
        for (int batch : List.of(runtimeBatch, pipelineBatch)) {
            if (sessionAt(session, batch) == null && !missing.contains(batch)) {
                missing.add(batch);
            }
        }
        if (!missing.isEmpty()) {
            measureSession(model, missing, session);
            session.sort(Comparator.comparingInt(SessionScenario.Row::batch));
        }
        double runtimeCeiling = sessionAt(session, runtimeBatch).fps();
        double pipelineCeiling = sessionAt(session, pipelineBatch).fps();
        return new BenchReport.Summary(bestRuntime.threads(), runtimeBatch, bestRuntime.fps(), runtimeCeiling,
                bestRuntime.fps() / runtimeCeiling, bestPipeline.partitions(), bestPipeline.streamThreads(),
                pipelineBatch, bestPipeline.fps(), pipelineCeiling, bestPipeline.fps() / pipelineCeiling);
    }

    private static SessionScenario.Row sessionAt(List<SessionScenario.Row> session, int batch) {
        return session.stream().filter(r -> r.batch() == batch).findFirst().orElse(null);
    }

    private void say(String format, Object... args) {
        progress.println(String.format(Locale.ROOT, format, args));
        progress.flush();
    }
}
