package io.emostream.bench;

import io.emostream.ingest.EncodedImage;
import io.emostream.schemas.StageLatencies;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole path through a broker: frames produced to a topic of P partitions (one camera per partition), the
 * emostream application with T stream threads, results consumed. Each configuration gets fresh topics, a fresh
 * application and fresh models, and runs in two phases. With a detection and a segmentation model, a frame counts
 * as answered when both its results are written.
 * <ol>
 *   <li>Throughput: warm-up + measured frames are produced before the application starts, so it is never starved;
 *   frames per second come from the results' append times (last warm-up result to last result).</li>
 *   <li>Latency: frames are produced at {@value #LATENCY_LOAD} of that throughput, as a camera would send them, with
 *   the capture time set at sending; a frame's latency runs from its capture time to the append time of its result.
 *   Measured at a sustainable rate, since under a backlog latency only measures the backlog.</li>
 * </ol>
 * Result topics use LogAppendTime, so a result's timestamp is when the broker wrote it. With a remote broker the
 * latency mixes two clocks; keep them in sync (NTP).
 * <p>
 * With the camera analytics on ({@value CameraAnalytics#ENABLED}), the application also tracks the detections and
 * runs the zones, lines and windowed statistics after them, in the same stream threads: each camera gets zones and
 * lines across the frames' moving shapes, published on the run's camera configuration topic before the application
 * starts. The figures still come from the primary model's results, so a configuration measured with and without the analytics
 * tells what they cost.
 */
public final class PipelineScenario {
    /** Fraction of the measured throughput at which the latency phase sends frames. */
    static final double LATENCY_LOAD = 0.7;
    /** The run fails when no result arrives for this long. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(120);

    private final ModelSet models;
    private final BenchSettings settings;
    private final List<EncodedImage> frames;
    private final String bootstrapServers;
    private final Map<String, String> appConfig;

    /**
     * @param models         the model set measured: its name, and the primary model's stage times and batches
     * @param fps            frames per second through the whole pipeline
     * @param latency        capture to result written (the last result, with two models), frames sent at
     *                       {@code latencyRateFps}
     * @param latencyRateFps the rate of the latency phase
     * @param stages         per-frame stage times and batch sizes of the throughput phase, from the result records
     * @param peakRssMiB     peak resident memory of the process during this configuration (broker included when it
     *                       is embedded)
     * @param load           1-minute load average of the machine when it was measured
     * @param analytics      whether the camera analytics ran after the detections
     * @param cpuMsPerFrame  CPU time of the whole process per frame of the throughput phase after the warm-up (the
     *                       application, the harness's clients and the embedded broker), or -1 where unknown
     */
    public record Row(String models, int partitions, int streamThreads, boolean analytics, double fps,
                      Latencies latency, double latencyRateFps, StageBreakdown stages, double cpuMsPerFrame,
                      double peakRssMiB, String provider, double load) { }

    /** @param appConfig application settings applied over the benchmark's own (Kafka Streams tuning, say) */
    public PipelineScenario(ModelSet models, BenchSettings settings, List<EncodedImage> frames,
                            String bootstrapServers, Map<String, String> appConfig) {
        this.models = models;
        this.settings = settings;
        this.frames = frames;
        this.bootstrapServers = bootstrapServers;
        this.appConfig = appConfig;
    }

    /** @param analytics whether the camera analytics run (they need a detection model) */
    public Row measure(int partitions, int streamThreads, boolean analytics) throws Exception {
        try (PipelineRun run = new PipelineRun(bootstrapServers, models, settings.runtime(), partitions,
                streamThreads, analytics, appConfig)) {
            return measure(run, partitions, streamThreads);
        }
    }

    private Row measure(PipelineRun run, int partitions, int streamThreads) throws Exception {
        EmoStreamAppConfig config = run.config();
        MachineState.resetPeakRss();
        int backlog = settings.warmup() + settings.frames();
        try (FrameSender sender = new FrameSender(bootstrapServers, run.topics().frames(), partitions, frames);
             FrameResults results = new FrameResults(bootstrapServers, run.topics(), models)) {
            for (int i = 0; i < backlog; i++) {
                sender.send(i);
            }
            sender.flush();
            String provider;
            double fps;
            StageBreakdown stages;
            Latencies latency;
            double rate;
            double cpuMsPerFrame;
            try (EmoStreamApp app = EmoStreamApp.create(config)) {
                provider = app.emo().models().get(0).executionProvider();
                long started = System.currentTimeMillis();
                app.start();
                // CPU time is taken from the first results on, so the application's start does not count
                List<FrameResults.Result> drained = new ArrayList<>(results.collect(Math.max(1, settings.warmup()),
                        STALL_TIMEOUT));
                double cpuFrom = MachineState.processCpuMs();
                List<FrameResults.Result> measured = results.collect(backlog - drained.size(), STALL_TIMEOUT);
                cpuMsPerFrame = measured.isEmpty() || cpuFrom < 0 ? -1
                        : (MachineState.processCpuMs() - cpuFrom) / measured.size();
                drained.addAll(measured);
                drained.sort(Comparator.comparingLong(FrameResults.Result::writtenMs));
                fps = throughput(drained, started);
                StageBreakdown.Accumulator acc = new StageBreakdown.Accumulator();
                for (FrameResults.Result r : drained.subList(settings.warmup(), drained.size())) {
                    StageLatencies l = r.latencies();
                    acc.add(l.getDecodeMs(), l.getQueueMs(), l.getInferenceMs(), l.getPostprocessMs(),
                            l.getBatchSize());
                }
                stages = acc.breakdown();
                rate = LATENCY_LOAD * fps;
                latency = pacedLatency(sender, results, backlog, rate);
            }
            return new Row(models.name(), partitions, streamThreads, config.analyticsEnabled(), fps, latency, rate,
                    stages, cpuMsPerFrame, MachineState.peakRssMiB(), provider, MachineState.loadAverage());
        }
    }

    /**
     * Measured frames / time from the last warm-up result to the last result (from the application's start without
     * warm-up).
     */
    private double throughput(List<FrameResults.Result> sorted, long startedMs) {
        long from = settings.warmup() == 0 ? startedMs : sorted.get(settings.warmup() - 1).writtenMs();
        long to = sorted.get(sorted.size() - 1).writtenMs();
        return settings.frames() / (Math.max(1, to - from) / 1000.0);
    }

    /** Sends {@code frames} frames at {@code rate} per second from a second thread and collects their latencies. */
    private Latencies pacedLatency(FrameSender sender, FrameResults results, int firstIndex, double rate)
            throws Exception {
        int count = settings.frames();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread camera = new Thread(() -> {
            long start = System.nanoTime();
            try {
                for (int i = 0; i < count; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    sender.send(firstIndex + i);
                }
                sender.flush();
            } catch (Exception e) {
                failure.set(e);
            }
        }, "bench-camera");
        camera.setDaemon(true);
        camera.start();
        List<FrameResults.Result> paced = results.collect(count, STALL_TIMEOUT);
        camera.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return Latencies.ofMillis(paced.stream().mapToDouble(FrameResults.Result::latencyMs).toArray());
    }
}
