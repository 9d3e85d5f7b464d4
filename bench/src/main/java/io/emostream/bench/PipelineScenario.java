package io.emostream.bench;

import io.emostream.ingest.EncodedImage;
import io.emostream.models.runtime.DynamicBatcher;
import io.emostream.models.runtime.ModelLoadException;
import io.emostream.schemas.StageLatencies;
import io.emostream.topology.EmoStreams;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.ops.Telemetry;
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
 *   <li>Throughput: once every instance has joined the application's group (this process's, and with
 *   {@code instances} above 1 more in child processes on the same broker, as other machines would run them), warm-up
 *   + measured frames are produced at once, so the application is never starved; frames per second come from the
 *   results' append times (last warm-up result to last result).</li>
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

    /** Frames sent at a time while settling: a backlog for every partition, answered before the next. */
    private static final int SETTLE_BATCH = 64;

    /** How long the instances may take to start and join the group. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);

    private final ModelSet models;
    private final StandInDetector.Cost standIn;
    private final BenchSettings settings;
    private final List<EncodedImage> frames;
    private final String bootstrapServers;
    private final Map<String, String> appConfig;

    /**
     * @param models         the model set measured (or the stand-in's cost), named
     * @param instances      instances of the application: this process and {@code instances - 1} child processes
     * @param fps            frames per second through the whole pipeline
     * @param latency        capture to result written (the last result, with two models), frames sent at
     *                       {@code latencyRateFps}
     * @param latencyRateFps the rate of the latency phase
     * @param stages         per-frame stage times and batch sizes of the primary model in the throughput phase, from
     *                       the result records
     * @param peakRssMiB     peak resident memory of this process during this configuration (broker included when it
     *                       is embedded; child instances not)
     * @param load           1-minute load average of the machine when it was measured
     * @param analytics      whether the camera analytics ran after the detections
     * @param cpuMsPerFrame  CPU time per frame of the throughput phase after the warm-up, of this process (the
     *                       application, the harness's clients and the embedded broker) and the child instances,
     *                       or -1 where unknown
     * @param modelCpuMsPerFrame the part of it the session calls took (the batchers' runner threads, with their
     *                       input and output copies), to set beside the bare session's; -1 with child instances
     */
    public record Row(String models, int partitions, int streamThreads, int instances, boolean analytics, double fps,
                      Latencies latency, double latencyRateFps, StageBreakdown stages, double cpuMsPerFrame,
                      double modelCpuMsPerFrame, double peakRssMiB, String provider, double load) { }

    /**
     * @param standIn   null for the models, else a {@link StandInDetector} of this cost in place of the detection
     *                  model (taking its input)
     * @param appConfig application settings applied over the benchmark's own (Kafka Streams tuning, say)
     */
    public PipelineScenario(ModelSet models, StandInDetector.Cost standIn, BenchSettings settings,
                            List<EncodedImage> frames, String bootstrapServers, Map<String, String> appConfig) {
        if (standIn != null && (models.detection() == null || models.both())) {
            throw new IllegalArgumentException("the stand-in replaces the detection model alone");
        }
        this.models = models;
        this.standIn = standIn;
        this.settings = settings;
        this.frames = frames;
        this.bootstrapServers = bootstrapServers;
        this.appConfig = appConfig;
    }

    /** @param analytics whether the camera analytics run (they need a detection model) */
    public Row measure(int partitions, int streamThreads, int instances, boolean analytics) throws Exception {
        try (PipelineRun run = new PipelineRun(bootstrapServers, models, settings.runtime(), partitions,
                streamThreads, analytics, appConfig)) {
            return measure(run, partitions, streamThreads, instances);
        }
    }

    /**
     * Runs one configuration unmeasured for {@code duration}, a batch of {@value #SETTLE_BATCH} frames at a time, so
     * that the JVM has compiled what later configurations run.
     *
     * @return the frames answered
     */
    public long settle(int partitions, int streamThreads, boolean analytics, Duration duration) throws Exception {
        try (PipelineRun run = new PipelineRun(bootstrapServers, models, settings.runtime(), partitions,
                streamThreads, analytics, appConfig);
             FrameSender sender = new FrameSender(bootstrapServers, run.topics().frames(), partitions, frames);
             FrameResults results = new FrameResults(bootstrapServers, run.topics(), models);
             StandInDetector detector = standInDetector();
             EmoStreamApp app = app(run.config(), detector)) {
            app.start();
            run.awaitGroup(streamThreads, START_TIMEOUT, () -> { });
            long until = System.nanoTime() + duration.toNanos();
            long sent = 0;
            long answered = 0;
            while (System.nanoTime() < until) {
                for (int i = 0; i < SETTLE_BATCH; i++) {
                    sender.send(sent++);
                }
                sender.flush();
                answered += results.collect(SETTLE_BATCH, STALL_TIMEOUT).size();
            }
            return answered;
        }
    }

    private Row measure(PipelineRun run, int partitions, int streamThreads, int instances) throws Exception {
        if (standIn != null && instances > 1) {
            throw new IllegalArgumentException("the stand-in runs in one instance only");
        }
        EmoStreamAppConfig config = run.config();
        MachineState.resetPeakRss();
        int backlog = settings.warmup() + settings.frames();
        List<ChildInstance> children = new ArrayList<>();
        try (FrameSender sender = new FrameSender(bootstrapServers, run.topics().frames(), partitions, frames);
             FrameResults results = new FrameResults(bootstrapServers, run.topics(), models);
             StandInDetector detector = standInDetector()) {
            for (int i = 1; i < instances; i++) {
                children.add(ChildInstance.start(run.settings(), run.stateDir().resolve("instance-" + i)));
            }
            String provider;
            double fps;
            StageBreakdown stages;
            Latencies latency;
            double rate;
            double cpuMsPerFrame;
            double modelCpuMsPerFrame;
            try (EmoStreamApp app = app(config, detector)) {
                provider = app.emo().models().get(0).executionProvider();
                app.start();
                // each stream thread is a member of the group (the classic protocol, Kafka Streams' default)
                run.awaitGroup(instances * streamThreads, START_TIMEOUT,
                        () -> children.forEach(ChildInstance::checkAlive));
                // the frames wait for every instance, so that all of them take part from the first frame
                long started = System.currentTimeMillis();
                for (int i = 0; i < backlog; i++) {
                    sender.send(i);
                }
                sender.flush();
                // CPU time is taken from the first results on, so the application's start does not count
                List<FrameResults.Result> drained = new ArrayList<>(results.collect(Math.max(1, settings.warmup()),
                        STALL_TIMEOUT));
                double cpuFrom = cpuMs(children);
                double modelCpuFrom = MachineState.threadsCpuMs(DynamicBatcher.RUNNER_THREADS);
                List<FrameResults.Result> measured = results.collect(backlog - drained.size(), STALL_TIMEOUT);
                cpuMsPerFrame = measured.isEmpty() || cpuFrom < 0 ? -1
                        : (cpuMs(children) - cpuFrom) / measured.size();
                modelCpuMsPerFrame = measured.isEmpty() || instances > 1 ? -1
                        : (MachineState.threadsCpuMs(DynamicBatcher.RUNNER_THREADS) - modelCpuFrom) / measured.size();
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
            return new Row(standIn != null ? standIn.toString() : models.name(), partitions, streamThreads,
                    instances, config.analyticsEnabled(), fps, latency, rate, stages, cpuMsPerFrame, modelCpuMsPerFrame,
                    MachineState.peakRssMiB(), provider, MachineState.loadAverage());
        } finally {
            for (ChildInstance child : children) {
                child.close();
            }
        }
    }

    /** The stand-in of the configured cost, or null when the models run. */
    private StandInDetector standInDetector() {
        return standIn == null ? null : new StandInDetector(models.primary().card(), standIn, settings.runtime());
    }

    /** The application, with {@code detector} as its detector unless null (the caller closes it after the app). */
    private static EmoStreamApp app(EmoStreamAppConfig config, StandInDetector detector) throws ModelLoadException {
        if (detector == null) {
            return EmoStreamApp.create(config);
        }
        Telemetry telemetry = Telemetry.start();
        return new EmoStreamApp(config, EmoStreams.withPredictors(detector, null, config.processingSettings(),
                telemetry.registry()), telemetry);
    }

    /** CPU time of this process and the child instances, or -1 where one is unknown. */
    private static double cpuMs(List<ChildInstance> children) {
        double total = MachineState.processCpuMs();
        for (ChildInstance child : children) {
            double ms = child.cpuMs();
            total = ms < 0 || total < 0 ? -1 : total + ms;
        }
        return total;
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
