package io.emostream.processors;

import io.emostream.models.detection.DetectionResult;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window's order and the drain's flush, with frames whose answers the test gives (no Kafka, no model). */
class InFlightDrainTest {
    private final List<Long> forwarded = new ArrayList<>();
    private final InFlightDrain drain = new InFlightDrain("test-inflight");
    private final InFlightWindow window = new InFlightWindow(4, drain, this::answer);

    InFlightDrainTest() {
        drain.attach(new MockProcessorContext<>(), window);
    }

    /** What the processor does with a frame in its turn: waits for its answer, then forwards. */
    private void answer(InFlightFrame frame) {
        if (frame.detection() != null) frame.detection().join();
        forwarded.add(frame.record().timestamp());
    }

    private static InFlightFrame frame(long offset, CompletableFuture<DetectionResult> detection) {
        return InFlightFrame.submitted(new Record<>(new byte[0], new byte[0], offset), Optional.empty(), null, 0,
                detection, null);
    }

    @Test
    void flushCacheForwardsEveryPendingFrameInInputOrderOnceTheOldestIsAnswered() {
        List<CompletableFuture<DetectionResult>> answers = new ArrayList<>();
        for (long offset = 0; offset < 3; offset++) {
            CompletableFuture<DetectionResult> answer = new CompletableFuture<>();
            answers.add(answer);
            window.add(frame(offset, answer));
        }
        answers.get(2).complete(null);
        answers.get(1).complete(null);
        window.forwardAnswered();
        assertEquals(List.of(), forwarded, "the later frames wait for the oldest");

        ScheduledExecutorService model = Executors.newSingleThreadScheduledExecutor();
        try {
            model.schedule(() -> answers.get(0).complete(null), 100, TimeUnit.MILLISECONDS);
            drain.flushCache();
        } finally {
            model.shutdownNow();
        }
        assertEquals(List.of(0L, 1L, 2L), forwarded);
        assertEquals(0, window.size());
    }

    @Test
    void answeredFramesAtTheHeadGoOutWithoutAFlushAndAFullWindowWaitsForItsOldest() {
        CompletableFuture<DetectionResult> oldest = new CompletableFuture<>();
        window.add(frame(0, CompletableFuture.completedFuture(null)));
        assertEquals(List.of(0L), forwarded, "answered at once: forwarded from add");

        window.add(frame(1, oldest));
        window.add(frame(2, CompletableFuture.completedFuture(null)));
        window.add(frame(3, CompletableFuture.completedFuture(null)));
        assertEquals(List.of(0L), forwarded);
        ScheduledExecutorService model = Executors.newSingleThreadScheduledExecutor();
        try {
            model.schedule(() -> oldest.complete(null), 100, TimeUnit.MILLISECONDS);
            window.add(frame(4, new CompletableFuture<>())); // the fourth in flight: waits for the oldest
        } finally {
            model.shutdownNow();
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), forwarded);
        assertEquals(1, window.size());
    }

    @Test
    void aFailedFrameIsForwardedInItsTurnNotBeforeTheFramesAheadOfIt() {
        CompletableFuture<DetectionResult> first = new CompletableFuture<>();
        window.add(frame(0, first));
        window.add(InFlightFrame.failed(new Record<>(new byte[0], new byte[0], 1L), Optional.empty(),
                FailureStage.DECODE, new IllegalArgumentException("corrupt")));
        assertEquals(List.of(), forwarded);

        first.complete(null);
        window.forwardAnswered();
        assertEquals(List.of(0L, 1L), forwarded);
    }

    @Test
    void droppingTheWindowCancelsItsRequestsAndForwardsNothing() {
        CompletableFuture<DetectionResult> pending = new CompletableFuture<>();
        window.add(frame(0, pending));
        window.dropAll("the test closes the task");
        drain.flushCache();
        assertTrue(pending.isCancelled(), "the batcher may skip the request");
        assertEquals(List.of(), forwarded);
        assertEquals(0, window.size());
    }
}
