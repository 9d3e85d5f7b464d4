package io.emostream.processors;

import io.emostream.models.detection.DetectionResult;
import io.emostream.models.runtime.Predictor;
import io.emostream.models.runtime.StageTimings;
import io.emostream.models.segmentation.SegmentationResult;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.NormalizedBox;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.RunLengthMask;
import io.emostream.schemas.StageLatencies;
import io.emostream.schemas.VideoFrame;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Turns the runtime's results for one frame into the Avro result records. */
final class ResultRecords {
    private ResultRecords() { }

    static ModelInfo modelInfo(Predictor<?> predictor) {
        return ModelInfo.newBuilder()
                .setName(predictor.card().name())
                .setVersion(predictor.card().version())
                .setTrained(!predictor.card().untrained())
                .setExecutionProvider(predictor.executionProvider())
                .build();
    }

    static FrameDetections detections(VideoFrame frame, DetectionResult result, ModelInfo model, float decodeMs,
                                      long inferenceTimestamp) {
        List<Detection> detections = result.detections().stream().map(ResultRecords::detection).toList();
        return FrameDetections.newBuilder()
                .setCameraId(frame.getCameraId())
                .setSequence(frame.getSequence())
                .setCaptureTimestamp(frame.getCaptureTimestamp())
                .setIngestTimestamp(frame.getIngestTimestamp())
                .setInferenceTimestamp(Instant.ofEpochMilli(inferenceTimestamp))
                .setFrameWidth(frame.getWidth())
                .setFrameHeight(frame.getHeight())
                .setModel(ModelInfo.newBuilder(model).build())
                .setDetections(detections)
                .setLatencies(latencies(result.timings(), decodeMs))
                .build();
    }

    static FrameSegmentation segmentation(VideoFrame frame, SegmentationResult result, List<String> labels,
                                          ModelInfo model, float decodeMs, long inferenceTimestamp) {
        RunLengthMask mask = RunLengthMask.newBuilder()
                .setClassIds(Arrays.stream(result.classIds()).boxed().toList())
                .setRunLengths(Arrays.stream(result.runLengths()).boxed().toList())
                .build();
        List<ClassFraction> fractions = result.shares().stream()
                .map(s -> new ClassFraction(s.classId(), s.label(), s.fraction()))
                .toList();
        return FrameSegmentation.newBuilder()
                .setCameraId(frame.getCameraId())
                .setSequence(frame.getSequence())
                .setCaptureTimestamp(frame.getCaptureTimestamp())
                .setIngestTimestamp(frame.getIngestTimestamp())
                .setInferenceTimestamp(Instant.ofEpochMilli(inferenceTimestamp))
                .setFrameWidth(frame.getWidth())
                .setFrameHeight(frame.getHeight())
                .setMaskWidth(result.maskWidth())
                .setMaskHeight(result.maskHeight())
                .setModel(ModelInfo.newBuilder(model).build())
                .setLabels(labels == null ? List.of() : labels)
                .setMask(mask)
                .setClassFractions(fractions)
                .setLatencies(latencies(result.timings(), decodeMs))
                .build();
    }

    private static Detection detection(io.emostream.models.detection.Detection d) {
        return Detection.newBuilder()
                .setClassId(d.classId())
                .setLabel(d.label())
                .setScore(d.score())
                .setBox(new PixelBox(d.x1(), d.y1(), d.x2(), d.y2()))
                .setNormalizedBox(new NormalizedBox(d.nx1(), d.ny1(), d.nx2(), d.ny2()))
                .build();
    }

    /** The frame's decode is shared by both models, so each result reports it plus its own pre-processing. */
    private static StageLatencies latencies(StageTimings t, float decodeMs) {
        return StageLatencies.newBuilder()
                .setDecodeMs(decodeMs + t.preprocessMs())
                .setQueueMs(t.queueMs())
                .setInferenceMs(t.inferenceMs())
                .setPostprocessMs(t.postprocessMs())
                .setBatchSize(t.batchSize())
                .build();
    }
}
