package io.emostream.bench;

import io.emostream.ingest.EncodedImage;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.schemas.config.SecretMasking;
import io.emostream.topology.app.EmoStreamApp;
import org.apache.kafka.streams.StreamsConfig;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a killed instance's cameras wait for their results: two instances of the application (this process and
 * a child process) share the cameras under {@code exactly_once_v2}; frames are sent at a steady rate; after
 * {@code killAfterSeconds}, once every camera has a result, the child is killed as {@code kill -9} would, and the
 * frames keep coming until every camera has an answer for a frame captured after the kill. Per camera, the pause is
 * the time between its last result written before the kill and its first result written after it; the survivor's
 * cameras show their frame interval, the killed instance's the time the group and the broker took to hand them over
 * (the member's session timeout, then the dead instance's open transaction timing out). The results are read
 * {@code read_committed}; each frame must be answered exactly once.
 *
 * @param appConfig application settings; {@code processing.guarantee} is {@code exactly_once_v2} unless set
 */
public record FailoverScenario(ModelSet models, RuntimeConfig runtime, Settings settings, List<EncodedImage> frames,
                               String bootstrapServers, Map<String, String> appConfig) {
    /** How long the instances may take to start and join the group. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    /** The run fails when a camera gets no result for a frame captured after the kill within this time. */
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(300);
    /** How long the run waits for the last frames' results after it stops sending. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

    /**
     * @param fps              frames per second sent, all cameras together
     * @param cameras          cameras, one partition each; the two instances share them
     * @param killAfterSeconds how long the frames flow before the child instance is killed
     */
    public record Settings(double fps, int cameras, int killAfterSeconds) {
        public Settings {
            require(fps > 0 && fps <= 1000, "--fps must be above 0 and at most 1000, got " + fps);
            require(cameras >= 2 && cameras <= 1000, "--cameras must be 2..1000 (two instances share them), got "
                    + cameras);
            require(killAfterSeconds >= 1 && killAfterSeconds <= 3600, "--kill-after must be 1..3600 s, got "
                    + killAfterSeconds);
        }
    }

    /**
     * @param pauseMsByCamera per camera, its last result written before the kill to its first written after it
     * @param pauseMs         the longest of them: the failover pause
     * @param maxLatencyMs    the longest capture-to-result time of the frames captured from the kill on
     * @param sent            frames sent
     * @param answered        results read (committed), duplicates included
     * @param lost            frames sent without a result
     * @param duplicated      results beyond the first of their frame
     */
    public record Report(Map<String, Long> pauseMsByCamera, long pauseMs, long maxLatencyMs, long sent,
                         long answered, long lost, long duplicated) {
        /** The run's last line, e.g. {@code failover pause_ms=9870 max_latency_ms=10230 frames=400 ...}. */
        public String line() {
            return String.format(Locale.ROOT, "failover pause_ms=%d max_latency_ms=%d frames=%d answered=%d lost=%d "
                    + "duplicated=%d", pauseMs, maxLatencyMs, sent, answered, lost, duplicated);
        }
    }

    public FailoverScenario {
        Map<String, String> withGuarantee = new HashMap<>(appConfig);
        withGuarantee.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        appConfig = Map.copyOf(withGuarantee);
    }

    /** Runs it, printing what it does and a line per camera to {@code out}, then {@link Report#line()}. */
    public Report run(PrintWriter out) throws Exception {
        out.printf(Locale.ROOT, "emostream bench failover: model %s%s, %.2f frames/s over %d cameras, 2 instances "
                        + "(one a child process, killed after %d s), %s; settings over the defaults: %s%n",
                models.name(), models.untrained() ? " (UNTRAINED weights: speed only)" : "", settings.fps(),
                settings.cameras(), settings.killAfterSeconds(),
                appConfig.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG), SecretMasking.masked(
                        new TreeMap<>(appConfig)));
        out.flush();
        try (PipelineRun run = new PipelineRun(bootstrapServers, models, runtime, settings.cameras(), 1, false,
                appConfig);
             FrameSender sender = new FrameSender(bootstrapServers, run.topics().frames(), settings.cameras(),
                     frames);
             FrameResults results = new FrameResults(bootstrapServers, run.topics(), models);
             ChildInstance child = ChildInstance.start(run.settings(), run.stateDir().resolve("instance-1"));
             EmoStreamApp app = EmoStreamApp.create(run.config())) {
            app.start();
            run.awaitGroup(2, START_TIMEOUT, child::checkAlive);
            Report report = failover(out, sender, results, child);
            out.println(report.line());
            out.flush();
            return report;
        }
    }

    private Report failover(PrintWriter out, FrameSender sender, FrameResults results, ChildInstance child)
            throws Exception {
        AtomicLong sent = new AtomicLong();
        ScheduledExecutorService camera = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "failover-camera");
            t.setDaemon(true);
            return t;
        });
        List<FrameResults.Result> answered = new ArrayList<>();
        long killedMs;
        try {
            camera.scheduleAtFixedRate(() -> sender.send(sent.getAndIncrement()), 0,
                    Math.round(1e9 / settings.fps()), TimeUnit.NANOSECONDS);
            readFor(results, answered, Duration.ofSeconds(settings.killAfterSeconds()));
            // each camera needs a result before the kill for its pause to be measured
            awaitEveryCamera(results, answered, 0, START_TIMEOUT, "before the kill");
            child.checkAlive();
            child.kill();
            killedMs = System.currentTimeMillis();
            out.printf(Locale.ROOT, "killed the child instance after %d frames; waiting for every camera's results%n",
                    sent.get());
            out.flush();
            awaitEveryCamera(results, answered, killedMs, RECOVERY_TIMEOUT, "captured after the kill");
            camera.shutdown();
            camera.awaitTermination(10, TimeUnit.SECONDS);
            sender.flush();
            long deadlineDrain = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (distinctFrames(answered) < sent.get() && System.nanoTime() < deadlineDrain) {
                readFor(results, answered, Duration.ofMillis(200));
            }
            // a duplicate would come after its frame's first result: read on a little
            readFor(results, answered, Duration.ofSeconds(2));
        } finally {
            camera.shutdownNow();
        }
        return report(out, answered, killedMs, sent.get());
    }

    private Report report(PrintWriter out, List<FrameResults.Result> answered, long killedMs, long sent) {
        Map<String, Long> pauses = new TreeMap<>();
        long maxLatency = 0;
        List<FrameResults.Result> byWritten = new ArrayList<>(answered);
        byWritten.sort(Comparator.comparingLong(FrameResults.Result::writtenMs));
        Map<String, Long> lastBefore = new HashMap<>();
        for (FrameResults.Result r : byWritten) {
            if (r.writtenMs() < killedMs) {
                lastBefore.put(r.cameraId(), r.writtenMs());
            } else if (!pauses.containsKey(r.cameraId()) && lastBefore.containsKey(r.cameraId())) {
                pauses.put(r.cameraId(), r.writtenMs() - lastBefore.get(r.cameraId()));
            }
            if (r.captureMs() >= killedMs) {
                maxLatency = Math.max(maxLatency, r.latencyMs());
            }
        }
        TextTable table = new TextTable("camera", "pause ms");
        pauses.forEach((cameraId, ms) -> table.add(cameraId, ms));
        table.print(out);
        long distinct = distinctFrames(answered);
        return new Report(pauses, pauses.values().stream().mapToLong(Long::longValue).max().orElse(0), maxLatency,
                sent, answered.size(), sent - distinct, answered.size() - distinct);
    }

    private static void readFor(FrameResults results, List<FrameResults.Result> answered, Duration time) {
        long until = System.nanoTime() + time.toNanos();
        do {
            results.poll(Duration.ofMillis(100));
            answered.addAll(results.drain());
            if (results.deadLetters() > 0) {
                throw new IllegalStateException(results.deadLetters() + " frames went to the dead-letter topic");
            }
        } while (System.nanoTime() < until);
    }

    /** Reads until every camera has a result for a frame captured at {@code sinceMs} or later. */
    private void awaitEveryCamera(FrameResults results, List<FrameResults.Result> answered, long sinceMs,
                                  Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (camerasAnsweredSince(answered, sinceMs) < settings.cameras()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no result for a frame " + what + " on "
                        + (settings.cameras() - camerasAnsweredSince(answered, sinceMs)) + " of "
                        + settings.cameras() + " cameras within " + timeout.toSeconds() + " s");
            }
            readFor(results, answered, Duration.ofMillis(200));
        }
    }

    private static long camerasAnsweredSince(List<FrameResults.Result> answered, long killedMs) {
        return answered.stream().filter(r -> r.captureMs() >= killedMs).map(FrameResults.Result::cameraId)
                .distinct().count();
    }

    private static long distinctFrames(List<FrameResults.Result> answered) {
        Set<String> frames = new HashSet<>();
        answered.forEach(r -> frames.add(r.cameraId() + "/" + r.sequence()));
        return frames.size();
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
