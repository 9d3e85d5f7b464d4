package io.emostream.models.runtime;

import io.emostream.models.card.ModelCard;
import io.emostream.models.fixtures.Cards;
import io.emostream.models.fixtures.Images;
import io.emostream.models.fixtures.OnnxFixtures;
import io.emostream.models.image.MatImage;
import io.emostream.models.runtime.InferenceException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batcher on a real session of y = sqrt(x - 1) over a 4x4 input: every output value depends on its own request's
 * pixels, and a zero pixel makes NaN in that request's row only.
 */
class DynamicBatcherTest {
    private static final RuntimeConfig CPU = RuntimeConfig.builder().provider(ExecutionProvider.CPU).build();

    @TempDir
    Path dir;
    private Path onnx;
    private final ModelCard.InputSpec spec = Cards.input(4, 4, ModelCard.Resize.STRETCH);

    @BeforeEach
    void writeModel() throws Exception {
        onnx = OnnxFixtures.sqrtOfInputMinusOne(dir.resolve("sqrt.onnx"), 4, 4);
    }

    /** 48 bytes that encode (thread, request) so a mixed-up row cannot pass; all >= 1 unless poisoned. */
    private static byte[] pixels(int thread, int request, boolean poisoned) {
        byte[] b = new byte[4 * 4 * 3];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (1 + (thread * 31 + request * 7 + k * 13) % 254);
        }
        b[0] = (byte) (thread + 1);
        b[1] = (byte) (request / 250 + 1);
        b[2] = (byte) (request % 250 + 1);
        if (poisoned) {
            b[5] = 0;
        }
        return b;
    }

    /** y[c, y, x] = sqrt(pixel[y, x, c] - 1): NCHW out of row-major BGR bytes. */
    private static void assertOwnResult(byte[] b, float[] y) {
        assertEquals(48, y.length);
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 16; p++) {
                float expected = (float) Math.sqrt((b[p * 3 + c] & 0xFF) - 1);
                assertEquals(expected, y[c * 16 + p], 1e-5f);
            }
        }
    }

    private CompletableFuture<RowOutput> submit(DynamicBatcher batcher, Preprocessor pre, byte[] pixels) {
        try (MatImage image = Images.bgr(4, 4, pixels)) {
            return batcher.submit(pre.prepare(image));
        }
    }

    /** The sqrt session with a batcher straight over it. */
    private final class Batched implements AutoCloseable {
        final Preprocessor pre;
        final ModelSession session;
        final DynamicBatcher batcher;

        /** @param rows the rows the preprocessor prepares at once */
        Batched(RuntimeConfig config, int rows) throws Exception {
            pre = new Preprocessor(spec, rows);
            session = ModelSession.open(onnx, "x", spec.shape(), config);
            try {
                batcher = new DynamicBatcher("sqrt", session, pre.rowFloats(), config);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
        }

        CompletableFuture<RowOutput> submit(byte[] pixels) {
            return DynamicBatcherTest.this.submit(batcher, pre, pixels);
        }

        @Override
        public void close() {
            batcher.close();
            session.close();
        }
    }

    /** A runner whose first call holds its slot until released, so that the requests after it queue up. */
    private static final class HeldFirstCall implements BatchRunner {
        private final BatchRunner next;
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final AtomicInteger calls = new AtomicInteger();

        HeldFirstCall(BatchRunner next) {
            this.next = next;
        }

        @Override
        public Map<String, Tensor> run(FloatBuffer input, int rows) throws Exception {
            if (calls.incrementAndGet() == 1) {
                entered.countDown();
                release.await();
            }
            return next.run(input, rows);
        }
    }

    /**
     * The in-flight count once it reaches 0, or after 10 s: a request leaves it just after its future completes,
     * so a caller woken by the result may look a moment early.
     */
    private static long awaitNoneInFlight(DynamicBatcher batcher) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batcher.metrics().inFlight() != 0 && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        return batcher.metrics().inFlight();
    }

    /** Submits a request that occupies a slot and returns once its session call has started. */
    private CompletableFuture<RowOutput> occupy(DynamicBatcher batcher, Preprocessor pre, HeldFirstCall held)
            throws InterruptedException {
        CompletableFuture<RowOutput> first = submit(batcher, pre, pixels(9, 9, false));
        assertTrue(held.entered.await(10, TimeUnit.SECONDS), "the occupying call never started");
        return first;
    }

    /** Requests queued behind an occupying call: their inputs and futures, by index. */
    private record Queued(List<byte[]> inputs, List<CompletableFuture<RowOutput>> futures) { }

    /** The sqrt session behind a {@link HeldFirstCall} and a batcher, with the held first call already running. */
    private final class Occupied implements AutoCloseable {
        final Preprocessor pre = new Preprocessor(spec, 8);
        final ModelSession session;
        final HeldFirstCall held;
        final DynamicBatcher batcher;
        final CompletableFuture<RowOutput> occupying;

        /** @param around what the batcher calls around the session's own run */
        Occupied(RuntimeConfig config, UnaryOperator<BatchRunner> around) throws Exception {
            session = ModelSession.open(onnx, "x", spec.shape(), config);
            held = new HeldFirstCall(around.apply(session::run));
            batcher = new DynamicBatcher("sqrt", held, pre.rowFloats(), config);
            try {
                occupying = occupy(batcher, pre, held);
            } catch (InterruptedException | RuntimeException | AssertionError e) {
                close();
                throw e;
            }
        }

        /** Submits {@code n} requests behind the held call, the i-th with the pixels {@code input(i)}. */
        Queued queue(int n, IntFunction<byte[]> input) {
            List<byte[]> inputs = new ArrayList<>();
            List<CompletableFuture<RowOutput>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                inputs.add(input.apply(i));
                futures.add(submit(batcher, pre, inputs.get(i)));
            }
            return new Queued(inputs, futures);
        }

        @Override
        public void close() {
            held.release.countDown();
            batcher.close();
            session.close();
        }
    }

    @Test
    void eightThreadsOfAThousandRequestsEachGetTheirOwnResultInSharedBatches() throws Exception {
        RuntimeConfig config = CPU.toBuilder().maxBatch(8).maxWaitMs(5).build();
        try (Batched sqrt = new Batched(config, 32)) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        byte[] b = pixels(thread, i, false);
                        assertOwnResult(b, sqrt.submit(b).get(30, TimeUnit.SECONDS).values("y"));
                    }
                    return 1000;
                }));
            }
            int answered = 0;
            for (Future<Integer> f : done) {
                answered += f.get(5, TimeUnit.MINUTES);
            }
            threads.shutdown();
            BatcherMetrics m = sqrt.batcher.metrics();
            assertEquals(8000, answered);
            assertEquals(8000, m.requests());
            assertEquals(0, m.failed());
            assertTrue(m.meanBatchSize() > 1, "mean batch size " + m.meanBatchSize());
            assertTrue(m.batches() < 8000);
            long rows = 0;
            long batches = 0;
            for (int size = 0; size < m.batchSizeCounts().length; size++) {
                rows += size * m.batchSizeCounts()[size];
                batches += m.batchSizeCounts()[size];
            }
            assertEquals(8000, rows, "the batch size counts add up to the requests");
            assertEquals(m.batches(), batches);
            assertEquals(0, awaitNoneInFlight(sqrt.batcher), "every answered request left the in-flight count");
        }
    }

    @Test
    void aPoisonedRequestFailsAloneWhileTheRestOfItsBatchSucceeds() throws Exception {
        RuntimeConfig config = CPU.toBuilder().maxBatch(4).maxWaitMs(2000).build();
        try (Occupied o = new Occupied(config, run -> run)) {
            // queued behind the running batch: together they form the next one
            Queued q = o.queue(4, i -> pixels(0, i, i == 2));
            o.held.release.countDown();
            o.occupying.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 4; i++) {
                if (i == 2) {
                    ExecutionException e = assertThrows(ExecutionException.class, q.futures().get(i)::get);
                    assertInstanceOf(InferenceException.class, e.getCause());
                    assertTrue(e.getCause().getMessage().contains("NaN"), e.getCause().getMessage());
                    assertEquals(Reason.NON_FINITE_OUTPUT, ((InferenceException) e.getCause()).reason());
                } else {
                    assertOwnResult(q.inputs().get(i), q.futures().get(i).get().values("y"));
                    assertEquals(4, q.futures().get(i).get().batchSize());
                }
            }
            assertEquals(1, o.batcher.metrics().batchSizeCounts()[4]);
            assertEquals(1, o.batcher.metrics().failed());
            assertEquals(1, o.batcher.metrics().nonFinite());
        }
    }

    @Test
    void aBatchCallThatThrowsIsRetriedRowByRow() throws Exception {
        RuntimeConfig config = CPU.toBuilder().maxBatch(3).maxWaitMs(2000).build();
        AtomicInteger calls = new AtomicInteger();
        try (Occupied o = new Occupied(config, run -> (input, rows) -> {
            calls.incrementAndGet();
            if (rows > 1) {
                throw new IllegalStateException("simulated batch failure");
            }
            return run.run(input, rows);
        })) {
            Queued q = o.queue(3, i -> pixels(1, i, false));
            o.held.release.countDown();
            o.occupying.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                assertOwnResult(q.inputs().get(i), q.futures().get(i).get(10, TimeUnit.SECONDS).values("y"));
            }
            assertEquals(5, calls.get()); // the occupying call, one batch of 3, then 3 single rows
        }
    }

    @Test
    void aLoneRequestOnAnIdleSessionRunsWithoutWaitingForMaxWait() throws Exception {
        RuntimeConfig config = CPU.toBuilder().maxBatch(64).maxWaitMs(5_000).build();
        try (Batched sqrt = new Batched(config, 2)) {
            byte[] b = pixels(3, 3, false);
            RowOutput out = sqrt.submit(b).get(10, TimeUnit.SECONDS);
            assertOwnResult(b, out.values("y"));
            assertEquals(1, out.batchSize());
            // the old policy held it for the whole 5 s maxWait; now it waits only for the worker to pick it up
            assertTrue(out.queueMs() < 2_500, "queued " + out.queueMs() + " ms");
            double maxQueueMs = sqrt.batcher.metrics().maxQueueMs();
            assertTrue(maxQueueMs < 2_500, "queued " + maxQueueMs + " ms");
        }
    }

    @Test
    void withASecondSlotFreeARequestWaitsForCompanyWhileABatchRuns() throws Exception {
        RuntimeConfig config = CPU.toBuilder().maxBatch(3).maxWaitMs(60_000).batchConcurrency(2).build();
        try (Occupied o = new Occupied(config, run -> run)) {
            // the second slot waits (maxWait) until these three fill its batch
            Queued q = o.queue(3, i -> pixels(2, i, false));
            for (int i = 0; i < 3; i++) { // they ran while the first call still holds its slot
                assertOwnResult(q.inputs().get(i), q.futures().get(i).get(10, TimeUnit.SECONDS).values("y"));
                assertEquals(3, q.futures().get(i).get().batchSize());
            }
            assertFalse(o.occupying.isDone());
            o.held.release.countDown();
            assertEquals(1, o.occupying.get(10, TimeUnit.SECONDS).batchSize());
        }
    }

    @Test
    void aRequestNeverWaitsPastItsDeadline() throws Exception {
        RuntimeConfig config = CPU.toBuilder().maxBatch(2).maxWaitMs(0).requestTimeoutMs(200).build();
        Preprocessor pre = new Preprocessor(spec, 2);
        CountDownLatch release = new CountDownLatch(1);
        try (ModelSession session = ModelSession.open(onnx, "x", spec.shape(), config);
             DynamicBatcher batcher = new DynamicBatcher("stuck", (input, rows) -> {
                 release.await(); // a session call that hangs
                 return session.run(input, rows);
             }, pre.rowFloats(), config)) {
            CompletableFuture<RowOutput> first = submit(batcher, pre, pixels(0, 0, false));
            CompletableFuture<RowOutput> queued = submit(batcher, pre, pixels(0, 1, false));
            for (CompletableFuture<RowOutput> f : List.of(first, queued)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
                assertInstanceOf(InferenceException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("timed out"), e.getCause().getMessage());
                assertEquals(Reason.TIMEOUT, ((InferenceException) e.getCause()).reason());
            }
            release.countDown();
            // the deadline timer counts a timeout just after failing the future the test thread already saw
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (batcher.metrics().timedOut() < 2 && System.nanoTime() < giveUp) {
                Thread.sleep(10);
            }
            assertEquals(2, batcher.metrics().timedOut());
        }
    }

    private static InferenceException failure(CompletableFuture<RowOutput> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(InferenceException.class, e.getCause());
    }

    @Test
    void aSessionCallThatThrowsForALoneRequestFailsItAsAModelError() {
        Preprocessor pre = new Preprocessor(spec, 2);
        try (DynamicBatcher batcher = new DynamicBatcher("broken", (input, rows) -> {
            throw new IllegalStateException("simulated session failure");
        }, pre.rowFloats(), CPU)) {
            InferenceException e = failure(submit(batcher, pre, pixels(0, 0, false)));
            assertEquals(Reason.MODEL_ERROR, e.reason());
            assertTrue(e.getMessage().contains("simulated session failure"), e.getMessage());
        }
    }

    @Test
    void outputsWhoseBatchDimensionDoesNotMatchTheBatchFailAsAnOutputMismatch() {
        Preprocessor pre = new Preprocessor(spec, 2);
        try (DynamicBatcher batcher = new DynamicBatcher("unbatched", (input, rows) ->
                Map.of("y", new BatchRunner.Tensor(new float[48], new long[] {3, 4, 4})), pre.rowFloats(), CPU)) {
            InferenceException e = failure(submit(batcher, pre, pixels(0, 0, false)));
            assertEquals(Reason.OUTPUT_MISMATCH, e.reason());
            assertTrue(e.getMessage().contains("batch dimension 3 for a batch of 1"), e.getMessage());
        }
    }

    @Test
    void requestsQueuedAtCloseOrSubmittedAfterItFailAsClosed() throws Exception {
        Preprocessor pre = new Preprocessor(spec, 4);
        try (ModelSession session = ModelSession.open(onnx, "x", spec.shape(), CPU)) {
            HeldFirstCall held = new HeldFirstCall(session::run);
            DynamicBatcher batcher = new DynamicBatcher("closing", held, pre.rowFloats(), CPU);
            CompletableFuture<RowOutput> running = occupy(batcher, pre, held);
            CompletableFuture<RowOutput> queued = submit(batcher, pre, pixels(0, 1, false));
            Thread closer = new Thread(batcher::close); // close waits for the running call
            closer.start();

            assertEquals(Reason.CLOSED, failure(queued).reason());
            held.release.countDown();
            closer.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(closer.isAlive());
            assertOwnResult(pixels(9, 9, false), running.get(10, TimeUnit.SECONDS).values("y"));
            assertEquals(Reason.CLOSED, failure(submit(batcher, pre, pixels(0, 2, false))).reason());
        }
    }
}
