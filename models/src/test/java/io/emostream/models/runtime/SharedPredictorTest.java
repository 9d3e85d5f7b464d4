package io.emostream.models.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.emostream.models.Predictors;
import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.fixtures.Cards;
import io.emostream.models.fixtures.Images;
import io.emostream.models.fixtures.OnnxFixtures;
import io.emostream.models.fixtures.StandInPredictor;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.image.MatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedPredictorTest {
    private static final RuntimeConfig CPU = RuntimeConfig.builder().provider(ExecutionProvider.CPU).build();

    @TempDir
    Path dir;

    /** A predictor that answers its own name and counts how often it was created and closed. */
    private static final class CountingPredictor extends StandInPredictor<String> {
        static final AtomicInteger CREATED = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        CountingPredictor() {
            super(StandInPredictor.card("counting", ModelCard.Task.DETECTION, List.of("thing")));
            CREATED.incrementAndGet();
        }

        @Override
        public CompletableFuture<String> submit(DecodedImage image) {
            return CompletableFuture.completedFuture(card().name());
        }

        @Override
        public String predict(DecodedImage image) {
            return card().name();
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    private static String key(TestInfo test) {
        return "test " + test.getDisplayName();
    }

    @Test
    void usersOfOneModelShareOneBatcherUntilTheLastHandleCloses() throws Exception {
        Map<String, OnnxFixtures.Constant> outputs = OnnxFixtures.outputs();
        outputs.put("dets", OnnxFixtures.Constant.floats(new float[] {1, 2, 3, 4, 0.9f}, 1, 5));
        outputs.put("labels", OnnxFixtures.Constant.longs(new float[] {0}, 1));
        Path onnx = OnnxFixtures.constantOutputs(dir.resolve("shared.onnx"), 8, 8, outputs);
        Cards.writeBeside(onnx, Cards.detection("shared", Cards.input(8, 8, ModelCard.Resize.STRETCH),
                new ModelCard.DetectionSpec(ModelCard.DetectionFormat.POST_NMS, "dets", "labels", -1, null, null,
                        0.1f, 10, 0.5f, 10), List.of("thing")));
        RuntimeConfig config = CPU.toBuilder().maxWaitMs(1).build();

        SharedPredictor<DetectionResult> a = Predictors.sharedDetector(onnx, config);
        SharedPredictor<DetectionResult> b = Predictors.sharedDetector(onnx, config);
        try (MatImage frame = Images.uniform(8, 8, 1, 1, 1)) {
            a.predict(frame);
            b.predict(frame);
            assertEquals(2, a.metrics().requests()); // one batcher saw both
            a.close();
            a.close(); // harmless
            assertClosed(() -> a.predict(frame));
            assertEquals(1, b.predict(frame).detections().size());
            b.close();
            try (SharedPredictor<DetectionResult> c = Predictors.sharedDetector(onnx, config)) {
                c.predict(frame);
                assertEquals(1, c.metrics().requests()); // the last close released the old one; this is fresh
            }
        }
    }

    @Test
    void anAcquiredHandleKeepsThePredictorOpenAfterTheOpenersHandleCloses(TestInfo test) throws Exception {
        CountingPredictor model = new CountingPredictor();
        SharedPredictor<String> opener = SharedPredictor.open(key(test), CPU, () -> model);
        SharedPredictor<String> user = opener.acquire();

        opener.close();
        assertEquals(0, model.closed.get(), "the user's reference keeps it open");
        assertEquals("counting", user.predict(null));
        SharedPredictor<String> late = opener.acquire(); // from a closed handle, while the model is still open
        user.close();
        user.close(); // idempotent: releases one reference only
        assertEquals(0, model.closed.get(), "the late user's reference keeps it open");
        assertClosed(() -> user.predict(null));

        late.close();
        assertEquals(1, model.closed.get(), "the last reference closes it, once");
        IllegalStateException e = assertThrows(IllegalStateException.class, opener::acquire);
        assertTrue(e.getMessage().contains("counting"), e.getMessage());
    }

    @Test
    void aHandleOnAPredictorTheCallerOwnsNeverClosesIt() throws Exception {
        CountingPredictor owned = new CountingPredictor();
        Predictor<String> handle = SharedPredictor.handleOn(owned);
        assertEquals("counting", handle.predict(null));
        handle.close();
        assertClosed(() -> handle.predict(null));
        assertEquals(0, owned.closed.get(), "its owner closes it");
    }

    @Test
    void aHandleOnASharedPredictorIsAReferenceOfItsOwn(TestInfo test) throws Exception {
        CountingPredictor model = new CountingPredictor();
        SharedPredictor<String> opener = SharedPredictor.open(key(test), CPU, () -> model);
        Predictor<String> handle = SharedPredictor.handleOn(opener);
        opener.close();
        assertEquals("counting", handle.predict(null));
        handle.close();
        assertEquals(1, model.closed.get());
    }

    @Test
    void aSecondOpenerWithAnotherConfigGetsTheOpenPredictorAndAWarningNamingBothConfigs(TestInfo test)
            throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(SharedPredictor.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        RuntimeConfig other = CPU.toBuilder().maxBatch(2).build();
        CountingPredictor model = new CountingPredictor();
        try (SharedPredictor<String> first = SharedPredictor.open(key(test), CPU, () -> model);
             SharedPredictor<String> same = SharedPredictor.open(key(test), CPU, CountingPredictor::new)) {
            assertTrue(appender.list.isEmpty(), "the same config is no news: " + appender.list);
            int createdBefore = CountingPredictor.CREATED.get();
            try (SharedPredictor<String> second = SharedPredictor.open(key(test), other, CountingPredictor::new)) {
                assertEquals(createdBefore, CountingPredictor.CREATED.get(), "no second model was created");
                assertEquals("counting", second.predict(null));
            }
            assertEquals(1, appender.list.size(), appender.list::toString);
            ILoggingEvent warning = appender.list.get(0);
            assertSame(Level.WARN, warning.getLevel());
            String message = warning.getFormattedMessage();
            assertTrue(message.contains(key(test)) && message.contains(CPU.toString())
                    && message.contains(other.toString()), message);
        } finally {
            log.detachAppender(appender);
        }
        assertEquals(1, model.closed.get());
    }

    @Test
    void aFailingFactoryRegistersNothing(TestInfo test) throws Exception {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Predictors.sharedDetector(dir.resolve("missing.onnx"), RuntimeConfig.defaults()));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());

        assertThrows(ModelLoadException.class, () -> SharedPredictor.open(key(test), CPU, () -> {
            throw new ModelLoadException("no model here");
        }));
        CountingPredictor model = new CountingPredictor();
        try (SharedPredictor<String> handle = SharedPredictor.open(key(test), CPU, () -> model)) {
            assertEquals("counting", handle.predict(null));
        }
        assertEquals(1, model.closed.get(), "the key's predictor is the one the working factory created");
    }

    /** A closed handle answers like a closed model: an InferenceException with reason CLOSED. */
    private static void assertClosed(Executable call) {
        InferenceException e = assertThrows(InferenceException.class, call);
        assertEquals(InferenceException.Reason.CLOSED, e.reason());
    }
}
