package io.emostream.processors.objects;

import io.emostream.schemas.DetectedObject;
import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.NormalizedBox;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.StageLatencies;
import io.emostream.schemas.TrackedObject;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames in, one flat object per detection or track out, keyed per object. */
class FlatObjectsProcessorTest {
    private static final Instant CAPTURED = Instant.parse("2026-11-30T12:00:00.040Z");
    private static final ModelInfo MODEL = new ModelInfo("emo-1m-ssdlite", "0.1.0", false, "cpu");

    private static <V> List<MockProcessorContext.CapturedForward<? extends String, ? extends DetectedObject>> run(
            Processor<String, V, String, DetectedObject> processor, V value) {
        MockProcessorContext<String, DetectedObject> context = new MockProcessorContext<>();
        processor.init(context);
        processor.process(new Record<>("cam-1", value, CAPTURED.toEpochMilli() + 5));
        return context.forwarded();
    }

    private static Detection detection(int classId, String label, float score, float x1) {
        return new Detection(classId, label, score, new PixelBox(x1, 20f, x1 + 30f, 60f),
                new NormalizedBox(x1 / 640, 20f / 480, (x1 + 30) / 640, 60f / 480));
    }

    @Test
    void eachDetectionBecomesOneObjectKeyedByCameraFrameAndPosition() {
        FrameDetections frame = FrameDetections.newBuilder().setCameraId("cam-1").setSequence(42)
                .setCaptureTimestamp(CAPTURED).setIngestTimestamp(CAPTURED).setInferenceTimestamp(CAPTURED)
                .setFrameWidth(640).setFrameHeight(480).setModel(MODEL)
                .setDetections(List.of(detection(0, "person", 0.875f, 10f), detection(2, "car", 0.5f, 300f)))
                .setLatencies(new StageLatencies(0f, 0f, 0f, 0f, 1)).build();

        var out = run(FlatObjectsProcessor.fromDetections().get(), frame);

        assertEquals(List.of("cam-1/42/0", "cam-1/42/1"), out.stream().map(f -> f.record().key()).toList());
        DetectedObject car = out.get(1).record().value();
        assertEquals("cam-1", car.getCameraId());
        assertEquals(42, car.getSequence());
        assertEquals(CAPTURED, car.getCaptureTimestamp());
        assertEquals(1, car.getObjectIndex());
        assertNull(car.getTrackId(), "no tracking, no track id");
        assertEquals(2, car.getClassId());
        assertEquals("car", car.getLabel());
        assertEquals(0.5, car.getScore());
        assertEquals(List.of(300.0, 20.0, 330.0, 60.0), List.of(car.getX1(), car.getY1(), car.getX2(), car.getY2()));
        assertEquals("emo-1m-ssdlite", car.getModelName());
        assertFalse(car.getModelTrained(), "says the model is untrained");
        assertEquals(CAPTURED.toEpochMilli() + 5, out.get(1).record().timestamp(), "keeps the frame's timestamp");
    }

    @Test
    void eachTrackBecomesOneObjectWithItsTrackId() {
        TrackedObject walker = new TrackedObject(7L, 0, "person", 0.75f, new PixelBox(1f, 2f, 3f, 4f), 400L, 11,
                100f, 0f);
        FrameTracks frame = FrameTracks.newBuilder().setCameraId("cam-1").setSequence(9).setCaptureTimestamp(CAPTURED)
                .setFrameWidth(640).setFrameHeight(480).setModel(MODEL).setTracks(List.of(walker))
                .setEndedTrackIds(List.of(3L)).build();

        var out = run(FlatObjectsProcessor.fromTracks().get(), frame);

        assertEquals(1, out.size());
        assertEquals("cam-1/9/0", out.get(0).record().key());
        assertEquals(7L, out.get(0).record().value().getTrackId());
        assertEquals(0.75, out.get(0).record().value().getScore());
        assertEquals(3.0, out.get(0).record().value().getX2());
    }

    @Test
    void framesWithoutObjectsAndTombstonesYieldNothing() {
        FrameTracks empty = FrameTracks.newBuilder().setCameraId("cam-1").setSequence(1).setCaptureTimestamp(CAPTURED)
                .setFrameWidth(640).setFrameHeight(480).setModel(MODEL).setTracks(List.of()).build();

        assertTrue(run(FlatObjectsProcessor.fromTracks().get(), empty).isEmpty());
        assertTrue(run(FlatObjectsProcessor.fromTracks().get(), (FrameTracks) null).isEmpty());
    }
}
