package io.emostream.ingest;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Each camera's {@link CameraStats} as meters tagged {@code camera}, read at every scrape. In the Prometheus text
 * format: {@code emostream_ingest_frames_captured_total}, {@code emostream_ingest_frames_sampled_out_total},
 * {@code emostream_ingest_frames_sent_total}, {@code emostream_ingest_frames_dropped_total{reason}} (backlog,
 * too_large, send_failed), {@code emostream_ingest_sent_bytes_total}, {@code emostream_ingest_reconnects_total} and
 * {@code emostream_ingest_encode_seconds_count/_sum}.
 */
public final class IngestMetrics implements MeterBinder {
    private final Map<String, CameraStats> cameras;

    /** @param cameras the stats of each camera id, as {@link Ingest#stats()} gives them */
    public IngestMetrics(Map<String, CameraStats> cameras) {
        this.cameras = Map.copyOf(cameras);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        cameras.forEach((camera, stats) -> {
            Tags tags = Tags.of("camera", camera);
            counter(registry, "emostream.ingest.frames.captured", "Frames decoded from the source", stats, tags,
                    CameraStats::read);
            counter(registry, "emostream.ingest.frames.sampled.out", "Frames left out to keep to the target "
                    + "frame rate", stats, tags, CameraStats::sampledOut);
            counter(registry, "emostream.ingest.frames.sent", "Frames the broker acknowledged", stats, tags,
                    CameraStats::published);
            String dropped = "emostream.ingest.frames.dropped";
            String droppedHelp = "Frames read but not sent: backlog (a live source outran the producer), too_large "
                    + "(over the topic's message size), send_failed (the producer gave up)";
            counter(registry, dropped, droppedHelp, stats, tags.and("reason", "backlog"),
                    CameraStats::droppedBacklog);
            counter(registry, dropped, droppedHelp, stats, tags.and("reason", "too_large"),
                    CameraStats::droppedTooLarge);
            counter(registry, dropped, droppedHelp, stats, tags.and("reason", "send_failed"), CameraStats::failed);
            FunctionCounter.builder("emostream.ingest.sent", stats, CameraStats::bytes).baseUnit("bytes")
                    .tags(tags).description("Bytes of the frames the broker acknowledged").register(registry);
            counter(registry, "emostream.ingest.reconnects", "Times a live source was opened again after it failed "
                    + "or ended", stats, tags, CameraStats::reconnects);
            FunctionTimer.builder("emostream.ingest.encode", stats, CameraStats::sampled,
                            s -> s.encodeSeconds(), TimeUnit.SECONDS).tags(tags)
                    .description("Resizing and encoding of the sampled frames").register(registry);
        });
    }

    private static void counter(MeterRegistry registry, String name, String description, CameraStats stats,
                                Tags tags, ToDoubleFunction<CameraStats> value) {
        FunctionCounter.builder(name, stats, value).tags(tags).description(description).register(registry);
    }
}
