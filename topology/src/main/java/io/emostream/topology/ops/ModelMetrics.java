package io.emostream.topology.ops;

import io.emostream.models.runtime.BatcherMetrics;
import io.emostream.models.runtime.Predictor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Each model's shared batcher ({@link BatcherMetrics}) as meters, read at every scrape and tagged with the model's
 * name, task and execution provider. In the Prometheus text format: {@code emostream_model_requests_total},
 * {@code emostream_model_failures_total}, {@code emostream_model_timeouts_total},
 * {@code emostream_model_non_finite_total}, {@code emostream_model_batches_total{size}} (the batch size
 * distribution: one series per size), {@code emostream_model_requests_in_flight},
 * {@code emostream_model_queue_wait_seconds_count/_sum} and {@code emostream_model_session_seconds_count/_sum}
 * (summed wait and session call time), and their maxima {@code emostream_model_queue_wait_max_seconds} and
 * {@code emostream_model_session_max_seconds}.
 */
public final class ModelMetrics implements MeterBinder {
    private final List<Predictor<?>> models;

    public ModelMetrics(List<Predictor<?>> models) {
        this.models = List.copyOf(models);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        models.forEach(model -> bind(model, registry));
    }

    private static void bind(Predictor<?> model, MeterRegistry registry) {
        Tags tags = Tags.of("model", model.card().name(), "task", model.card().task().name().toLowerCase(Locale.ROOT),
                "provider", model.executionProvider());
        counter(registry, "emostream.model.requests", "Requests answered from a batch's outputs, valid or not",
                model, tags, BatcherMetrics::requests);
        counter(registry, "emostream.model.failures", "Requests that failed (session error, invalid output, "
                + "timeout)", model, tags, BatcherMetrics::failed);
        counter(registry, "emostream.model.timeouts", "Requests whose deadline (inference.timeout.ms) passed",
                model, tags, BatcherMetrics::timedOut);
        counter(registry, "emostream.model.non.finite", "Requests whose outputs held NaN or infinite values",
                model, tags, BatcherMetrics::nonFinite);
        int maxBatch = model.metrics().batchSizeCounts().length - 1;
        for (int size = 1; size <= maxBatch; size++) {
            int index = size;
            counter(registry, "emostream.model.batches", "Session calls, by the number of requests in the batch",
                    model, tags.and("size", String.valueOf(size)),
                    m -> index < m.batchSizeCounts().length ? m.batchSizeCounts()[index] : 0);
        }
        Gauge.builder("emostream.model.requests.in.flight", model, p -> p.metrics().inFlight()).tags(tags)
                .description("Requests submitted and not yet answered: queued or in a running batch")
                .register(registry);
        FunctionTimer.builder("emostream.model.queue.wait", model, p -> p.metrics().requests(),
                        p -> p.metrics().totalQueueMs(), TimeUnit.MILLISECONDS).tags(tags)
                .description("Wait from submit to the start of the request's batch").register(registry);
        FunctionTimer.builder("emostream.model.session", model, p -> p.metrics().batches(),
                        p -> p.metrics().totalRunMs(), TimeUnit.MILLISECONDS).tags(tags)
                .description("ONNX Runtime session call time per batch").register(registry);
        Gauge.builder("emostream.model.queue.wait.max", model, p -> p.metrics().maxQueueMs() / 1000).tags(tags)
                .baseUnit("seconds").description("Longest wait from submit to a batch's start").register(registry);
        Gauge.builder("emostream.model.session.max", model, p -> p.metrics().maxRunMs() / 1000).tags(tags)
                .baseUnit("seconds").description("Longest session call").register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, Predictor<?> model,
                                Tags tags, ToDoubleFunction<BatcherMetrics> value) {
        FunctionCounter.builder(name, model, p -> value.applyAsDouble(p.metrics())).tags(tags)
                .description(description).register(registry);
    }
}
