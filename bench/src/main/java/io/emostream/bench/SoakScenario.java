package io.emostream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.emostream.ingest.EncodedImage;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.topology.app.EmoStreamApp;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A long run of the whole pipeline at a fixed rate below its capacity, watching for creep: frames are sent at
 * {@code fps} across the cameras while the application (its default topology: the models, the camera analytics)
 * answers them, and at every sample this process's resident memory, Java heap in use, direct buffers and the
 * latency percentiles of the frames answered since the last sample are printed as a row. The verdict compares the
 * run after the warm-up: resident memory at the last sample against the first sample after the warm-up, and the p95
 * latency of the second half of those samples' frames against the first half's.
 */
public final class SoakScenario {
    /** Resident memory may grow by less than this after the warm-up. */
    static final double MAX_RSS_GROWTH = 0.05;
    /** The p95 latency of the second half may exceed the first half's by less than this. */
    static final double MAX_P95_DRIFT = 0.10;
    /** How long the run waits for the last frames' results after it stops sending. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param samples        samples, one per {@code interval} (a minute, unless testing)
     * @param warmupSamples  samples before the baseline; at least two samples must follow them
     * @param intervalSeconds time between samples
     * @param fps            frames per second sent, all cameras together
     * @param cameras        cameras, one partition each
     * @param streamThreads  Kafka Streams threads
     */
    public record Settings(int samples, int warmupSamples, int intervalSeconds, double fps, int cameras,
                           int streamThreads) {
        public Settings {
            require(samples >= 3 && samples <= 100_000, "--minutes must be 3 or more, got " + samples);
            require(warmupSamples >= 1 && warmupSamples <= samples - 2, "--warmup-minutes must be 1.."
                    + (samples - 2) + " (two samples must follow the warm-up), got " + warmupSamples);
            require(intervalSeconds >= 1, "the sample interval must be 1 s or more, got " + intervalSeconds);
            require(fps > 0 && fps <= 1000, "--fps must be above 0 and at most 1000, got " + fps);
            require(cameras >= 1 && cameras <= 1000, "--cameras must be 1..1000, got " + cameras);
            require(streamThreads >= 1 && streamThreads <= 64, "--stream-threads must be 1..64, got "
                    + streamThreads);
        }
    }

    /**
     * One sample: what the run had done by then and the process's memory; {@code latency} covers the frames
     * answered since the previous sample.
     */
    public record Sample(int index, double elapsedS, long sent, long answered, long deadLetters, double rssMiB,
                         double heapUsedMiB, double heapCommittedMiB, double directMiB, Latencies latency, double load) { }

    /**
     * @param rssGrowth    (last RSS - RSS of the first sample after the warm-up) / the latter
     * @param p95Drift     (p95 of the second half of the frames after the warm-up - p95 of the first half) / the latter
     * @param unanswered   frames sent that got neither all their results nor a dead letter within the drain time
     */
    public record Verdict(boolean pass, double rssGrowth, double p95Drift, long sent, long answered,
                          long deadLetters, long unanswered) {
        /** The run's last line, e.g. {@code verdict=PASS rss_growth=+1.2% p95_drift=-3.0% frames=3600 ...}. */
        public String line() {
            return String.format(Locale.ROOT, "verdict=%s rss_growth=%+.1f%% p95_drift=%+.1f%% frames=%d "
                            + "answered=%d dlq=%d lost=%d", pass ? "PASS" : "FAIL", 100 * rssGrowth, 100 * p95Drift,
                    sent, answered, deadLetters, unanswered);
        }
    }

    public record Report(String models, boolean untrained, Settings settings, List<Sample> samples,
                         Verdict verdict) {
        public void writeJson(Path file) throws IOException {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("models", models);
            doc.put("untrained", untrained);
            doc.put("settings", settings);
            doc.put("cpus", Runtime.getRuntime().availableProcessors());
            doc.put("samples", samples);
            doc.put("verdict", verdict);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
        }
    }

    private final ModelSet models;
    private final RuntimeConfig runtime;
    private final Settings settings;
    private final List<EncodedImage> frames;
    private final String bootstrapServers;
    private final Map<String, String> appConfig;

    public SoakScenario(ModelSet models, RuntimeConfig runtime, Settings settings, List<EncodedImage> frames,
                        String bootstrapServers, Map<String, String> appConfig) {
        this.models = models;
        this.runtime = runtime;
        this.settings = settings;
        this.frames = frames;
        this.bootstrapServers = bootstrapServers;
        this.appConfig = appConfig;
    }

    /** Runs the soak, printing a row per sample to {@code out}, then the verdict as the last line. */
    public Report run(PrintWriter out) throws Exception {
        out.printf(Locale.ROOT, "emostream bench soak: models %s%s, %.2f frames/s over %d cameras, %d stream threads, "
                        + "%d samples every %d s after which the first %d are warm-up; %d CPUs, load average %.2f%n",
                models.name(), models.untrained() ? " (UNTRAINED weights: speed only)" : "", settings.fps(),
                settings.cameras(), settings.streamThreads(), settings.samples(), settings.intervalSeconds(),
                settings.warmupSamples(), Runtime.getRuntime().availableProcessors(), MachineState.loadAverage());
        // A heap that grows on demand adds resident pages as it expands, which reads like a leak.
        out.println(MachineState.heapPreTouched()
                ? "heap: -Xms = -Xmx, pre-touched: resident memory growth is growth outside the Java heap"
                : "heap: grows on demand, so resident memory includes the heap's expansion; for a verdict on memory "
                        + "outside the heap run with EMOSTREAM_JAVA_OPTS='-Xms1g -Xmx1g -XX:+AlwaysPreTouch'");
        try (PipelineRun run = new PipelineRun(bootstrapServers, models, runtime, settings.cameras(),
                settings.streamThreads(), true, appConfig);
             FrameSender sender = new FrameSender(bootstrapServers, run.topics().frames(), settings.cameras(),
                     frames);
             FrameResults results = new FrameResults(bootstrapServers, run.topics(), models);
             EmoStreamApp app = EmoStreamApp.create(run.config())) {
            app.start();
            return soak(out, sender, results);
        }
    }

    private Report soak(PrintWriter out, FrameSender sender, FrameResults results) throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicReference<RuntimeException> readFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (reading.get()) results.poll(Duration.ofMillis(100));
            } catch (RuntimeException e) {
                readFailure.set(e);
            }
        }, "soak-results");
        reader.setDaemon(true);
        reader.start();
        ScheduledExecutorService camera = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-camera");
            t.setDaemon(true);
            return t;
        });
        TextTable table = TextTable.streaming(out, "sample", "elapsed s", "sent", "answered", "dlq", "RSS MiB",
                "heap MiB", "heap committed MiB", "direct MiB", "p50 ms", "p95 ms", "load");
        List<Sample> samples = new ArrayList<>();
        List<double[]> latencies = new ArrayList<>();
        long answered = 0;
        long start = System.nanoTime();
        try {
            camera.scheduleAtFixedRate(() -> sender.send(sent.getAndIncrement()), 0,
                    Math.round(1e9 / settings.fps()), TimeUnit.NANOSECONDS);
            for (int i = 1; i <= settings.samples(); i++) {
                long due = start + TimeUnit.SECONDS.toNanos((long) i * settings.intervalSeconds());
                TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
                if (readFailure.get() != null) throw readFailure.get();
                double[] ms = results.drain().stream().mapToDouble(FrameResults.Result::latencyMs).toArray();
                answered += ms.length;
                latencies.add(ms);
                Sample s = new Sample(i, (System.nanoTime() - start) / 1e9, sent.get(), answered,
                        results.deadLetters(), MachineState.residentMiB(), MachineState.heapUsedMiB(),
                        MachineState.heapCommittedMiB(), MachineState.directMiB(), Latencies.ofMillis(ms), MachineState.loadAverage());
                samples.add(s);
                table.add(s.index(), s.elapsedS(), s.sent(), s.answered(), s.deadLetters(), s.rssMiB(),
                        s.heapUsedMiB(), s.heapCommittedMiB(), s.directMiB(), s.latency().p50Ms(), s.latency().p95Ms(), s.load());
            }
            camera.shutdown();
            camera.awaitTermination(10, TimeUnit.SECONDS);
            sender.flush();
            answered += drainRest(results, sent.get() - answered);
        } finally {
            camera.shutdownNow();
            reading.set(false);
            reader.join(10_000);
        }
        Verdict verdict = verdict(samples, latencies, settings.warmupSamples(), sent.get(), answered,
                results.deadLetters());
        out.printf(Locale.ROOT, "after the warm-up: resident memory %+.1f%% (limit +%.0f%%), p95 latency of the "
                        + "second half against the first %+.1f%% (limit +%.0f%%); every frame answered: %s%n",
                100 * verdict.rssGrowth(), 100 * MAX_RSS_GROWTH, 100 * verdict.p95Drift(), 100 * MAX_P95_DRIFT,
                verdict.unanswered() == 0 && verdict.deadLetters() == 0 ? "yes" : "no");
        out.println(verdict.line());
        out.flush();
        return new Report(models.name(), models.untrained(), settings, samples, verdict);
    }

    /** Waits for the results of the frames still in the pipeline; returns how many arrived. */
    private static long drainRest(FrameResults results, long outstanding) throws InterruptedException {
        long arrived = 0;
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (arrived + results.deadLetters() < outstanding && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
            arrived += results.drain().size();
        }
        return arrived;
    }

    /**
     * The verdict on a run's samples: {@code latencies} holds each sample's frame latencies, the first
     * {@code warmupSamples} of both lists are left out.
     */
    static Verdict verdict(List<Sample> samples, List<double[]> latencies, int warmupSamples, long sent,
                           long answered, long deadLetters) {
        double baseline = samples.get(warmupSamples).rssMiB();
        double rssGrowth = (samples.get(samples.size() - 1).rssMiB() - baseline) / baseline;
        int half = warmupSamples + (samples.size() - warmupSamples) / 2;
        double first = p95(latencies.subList(warmupSamples, half));
        double second = p95(latencies.subList(half, latencies.size()));
        double p95Drift = first > 0 ? (second - first) / first : 0;
        long unanswered = Math.max(0, sent - answered - deadLetters);
        boolean pass = rssGrowth < MAX_RSS_GROWTH && p95Drift < MAX_P95_DRIFT && unanswered == 0
                && deadLetters == 0;
        return new Verdict(pass, rssGrowth, p95Drift, sent, answered, deadLetters, unanswered);
    }

    private static double p95(List<double[]> samples) {
        return Latencies.ofMillis(samples.stream().flatMapToDouble(Arrays::stream).toArray()).p95Ms();
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
