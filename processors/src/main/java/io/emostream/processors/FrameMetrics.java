package io.emostream.processors;

import io.emostream.schemas.DeadLetter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The frame processor's meters, tagged with the pipeline (the name its {@code EmoStreams} gives its nodes). Every
 * processor instance of a pipeline (one per task) counts into the same meters: the registry hands out one meter per
 * name and tags. In the Prometheus text format they read {@code emostream_frames_processed_total},
 * {@code emostream_frames_skipped_too_old_total}, {@code emostream_dead_letters_total{stage,reason}} ({@link DeadLetterMeter}),
 * {@code emostream_results_total{task}} and the histogram {@code emostream_frame_latency_seconds{task}}.
 */
public final class FrameMetrics {
    public static final String FRAMES_PROCESSED = "emostream.frames.processed";
    public static final String FRAMES_SKIPPED_TOO_OLD = "emostream.frames.skipped.too.old";
    public static final String RESULTS = "emostream.results";
    public static final String LATENCY = "emostream.frame.latency";
    public static final String PIPELINE_TAG = "pipeline";
    public static final String TASK_TAG = "task";

    /** Latency buckets span camera-to-result times from a few milliseconds to a badly lagging consumer. */
    private static final Duration LATENCY_MIN = Duration.ofMillis(5);
    private static final Duration LATENCY_MAX = Duration.ofMinutes(5);

    private final MeterRegistry registry;
    private final Tags pipeline;
    private final Counter processed;
    private final Counter skippedTooOld;
    private final DeadLetterMeter deadLetters;
    private final Map<String, TaskMeters> byTask = new ConcurrentHashMap<>();

    public FrameMetrics(MeterRegistry registry, String pipeline) {
        this.registry = registry;
        this.pipeline = Tags.of(PIPELINE_TAG, pipeline);
        this.processed = Counter.builder(FRAMES_PROCESSED).tags(this.pipeline)
                .description("Input records the frame processor took from the frames topic, whatever became of "
                        + "them (results, dead letters or skipped)")
                .register(registry);
        this.skippedTooOld = Counter.builder(FRAMES_SKIPPED_TOO_OLD).tags(this.pipeline)
                .description("Frames skipped because their capture time was older than max.frame.age.ms")
                .register(registry);
        this.deadLetters = new DeadLetterMeter(registry, pipeline);
    }

    void processed() {
        processed.increment();
    }

    void skippedTooOld() {
        skippedTooOld.increment();
    }

    void deadLetter(DeadLetter letter) {
        deadLetters.count(letter);
    }

    /** A model's result for a frame captured at {@code capture} was handed on at {@code nowMs}. */
    void result(String task, Instant capture, long nowMs) {
        TaskMeters meters = byTask.computeIfAbsent(task, this::taskMeters);
        meters.results().increment();
        meters.latency().record(Duration.ofMillis(Math.max(0, nowMs - capture.toEpochMilli())));
    }

    /** A task's meters, looked up once: finding a meter by name and tags in the registry costs more than using it. */
    private record TaskMeters(Counter results, Timer latency) { }

    private TaskMeters taskMeters(String task) {
        Tags tags = pipeline.and(TASK_TAG, task);
        return new TaskMeters(Counter.builder(RESULTS).tags(tags).description("Result records handed on, by task")
                .register(registry),
                Timer.builder(LATENCY).tags(tags)
                        .description("From a frame's capture time to its result being handed on (clock skew between "
                                + "camera host and this one counts as 0)")
                        .publishPercentileHistogram().minimumExpectedValue(LATENCY_MIN)
                        .maximumExpectedValue(LATENCY_MAX)
                        .register(registry));
    }
}
