package io.emostream.processors;

import io.emostream.schemas.DeadLetter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Counts dead letters into {@value #NAME} ({@code emostream_dead_letters_total{pipeline,stage,reason}}), whoever
 * writes them: the frame processor ({@link FrameMetrics}) and the camera analytics. One meter per pipeline, stage
 * and reason, shared by every task that counts into it.
 */
public final class DeadLetterMeter {
    public static final String NAME = "emostream.dead.letters";

    private final MeterRegistry registry;
    private final Tags pipeline;

    /** {@code pipeline}: the name of the part of the topology that writes the dead letters. */
    public DeadLetterMeter(MeterRegistry registry, String pipeline) {
        this.registry = registry;
        this.pipeline = Tags.of(FrameMetrics.PIPELINE_TAG, pipeline);
    }

    public void count(DeadLetter letter) {
        Counter.builder(NAME).tags(pipeline).tag("stage", letter.getStage())
                .tag("reason", letter.getReason().name())
                .description("Dead-letter records written, by the pipeline that wrote them, stage and reason")
                .register(registry).increment();
    }
}
