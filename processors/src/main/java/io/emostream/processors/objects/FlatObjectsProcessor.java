package io.emostream.processors.objects;

import io.emostream.schemas.Detection;
import io.emostream.schemas.DetectedObject;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.TrackedObject;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Flattens one frame's result into one {@link DetectedObject} per object, for tables: JDBC sinks cannot take the
 * nested lists of boxes. Each object is keyed {@code <cameraId>/<sequence>/<objectIndex>} ({@link #key}), so a sink
 * that upserts by key writes every object once, however often it is delivered. A frame without objects yields
 * nothing.
 */
public final class FlatObjectsProcessor<V> implements Processor<String, V, String, DetectedObject> {
    private final Function<V, List<DetectedObject>> flatten;
    private ProcessorContext<String, DetectedObject> context;

    private FlatObjectsProcessor(Function<V, List<DetectedObject>> flatten) {
        this.flatten = flatten;
    }

    /** One object per detection, without track ids. */
    public static ProcessorSupplier<String, FrameDetections, String, DetectedObject> fromDetections() {
        return () -> new FlatObjectsProcessor<>(FlatObjectsProcessor::objects);
    }

    /** One object per confirmed track matched in the frame, with its track id. */
    public static ProcessorSupplier<String, FrameTracks, String, DetectedObject> fromTracks() {
        return () -> new FlatObjectsProcessor<>(FlatObjectsProcessor::objects);
    }

    /** The key of an object: unique per camera, frame and position in the frame. */
    public static String key(DetectedObject object) {
        return object.getCameraId() + "/" + object.getSequence() + "/" + object.getObjectIndex();
    }

    @Override
    public void init(ProcessorContext<String, DetectedObject> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.value() == null) return; // a tombstone holds no objects
        for (DetectedObject object : flatten.apply(record.value())) {
            context.forward(record.withKey(key(object)).withValue(object));
        }
    }

    static List<DetectedObject> objects(FrameDetections frame) {
        List<DetectedObject> objects = new ArrayList<>(frame.getDetections().size());
        for (Detection d : frame.getDetections()) {
            objects.add(object(frame.getCameraId(), frame.getSequence(), frame.getCaptureTimestamp(), frame.getModel(),
                    objects.size(), d.getClassId(), d.getLabel(), d.getScore(), d.getBox()).build());
        }
        return objects;
    }

    static List<DetectedObject> objects(FrameTracks frame) {
        List<DetectedObject> objects = new ArrayList<>(frame.getTracks().size());
        for (TrackedObject t : frame.getTracks()) {
            objects.add(object(frame.getCameraId(), frame.getSequence(), frame.getCaptureTimestamp(), frame.getModel(),
                    objects.size(), t.getClassId(), t.getLabel(), t.getScore(), t.getBox())
                    .setTrackId(t.getTrackId()).build());
        }
        return objects;
    }

    private static DetectedObject.Builder object(String camera, long sequence, Instant capture,
                                                 ModelInfo model, int index, int classId, String label, float score,
                                                 PixelBox box) {
        return DetectedObject.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(capture)
                .setObjectIndex(index)
                .setClassId(classId)
                .setLabel(label)
                .setScore(score)
                .setX1(box.getX1()).setY1(box.getY1()).setX2(box.getX2()).setY2(box.getY2())
                .setModelName(model.getName())
                .setModelTrained(model.getTrained());
    }
}
