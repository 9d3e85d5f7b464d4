package io.emostream.bench;

import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.ResultReader;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The models a pipeline runs: a detection model, a segmentation model or both (then each frame goes through both,
 * side by side, as in the application's default). The first present is the primary one, whose stage times and
 * batch sizes the tables show.
 */
public record ModelSet(BenchModel detection, BenchModel segmentation) {
    public ModelSet {
        if (detection == null && segmentation == null) {
            throw new IllegalArgumentException("a pipeline needs a detection or a segmentation model");
        }
        if (detection != null && !detection.detection()) {
            throw new IllegalArgumentException(detection.name() + " is not a detection model");
        }
        if (segmentation != null && segmentation.detection()) {
            throw new IllegalArgumentException(segmentation.name() + " is not a segmentation model");
        }
    }

    /** The one model, in the place its task says. */
    public static ModelSet of(BenchModel model) {
        return model.detection() ? new ModelSet(model, null) : new ModelSet(null, model);
    }

    /** {@code model} plus the built-in or file {@code segmentation} beside it. */
    public static ModelSet withSegmentation(BenchModel model, String segmentation) throws IOException {
        return new ModelSet(model, BenchModel.resolve(segmentation));
    }

    public BenchModel primary() {
        return detection != null ? detection : segmentation;
    }

    public boolean both() {
        return detection != null && segmentation != null;
    }

    /** "emo-1m-ssdlite", or "emo-1m-ssdlite+emo-1m-deeplabv3" for both. */
    public String name() {
        return Stream.of(detection, segmentation).filter(m -> m != null).map(BenchModel::name)
                .collect(Collectors.joining("+"));
    }

    /** Whether any model has untrained weights. */
    public boolean untrained() {
        return Stream.of(detection, segmentation).anyMatch(m -> m != null && m.card().untrained());
    }

    /** The result topics a frame is answered on, and the dead letters. */
    Set<ResultReader.Kind> resultKinds() {
        Set<ResultReader.Kind> kinds = EnumSet.of(ResultReader.Kind.DEAD_LETTERS);
        if (detection != null) kinds.add(ResultReader.Kind.DETECTIONS);
        if (segmentation != null) kinds.add(ResultReader.Kind.SEGMENTATIONS);
        return kinds;
    }

    /** The application's model settings. */
    void configure(Map<String, Object> props) {
        props.put(EmoStreamConfig.DETECTION_ENABLED, detection != null);
        props.put(EmoStreamConfig.SEGMENTATION_ENABLED, segmentation != null);
        if (detection != null) props.put(EmoStreamConfig.DETECTION_MODEL, detection.onnx().toString());
        if (segmentation != null) props.put(EmoStreamConfig.SEGMENTATION_MODEL, segmentation.onnx().toString());
    }
}
