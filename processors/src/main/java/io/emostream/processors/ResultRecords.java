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
import org.apache.avro.specific.SpecificRecordBase;

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
        FrameDetections out = withHeader(new FrameDetections(), frame, model, result.timings(), decodeMs,
                inferenceTimestamp);
        out.setDetections(result.detections().stream().map(ResultRecords::detection).toList());
        return out;
    }

    static FrameSegmentation segmentation(VideoFrame frame, SegmentationResult result, List<String> labels,
                                          ModelInfo model, float decodeMs, long inferenceTimestamp) {
        FrameSegmentation out = withHeader(new FrameSegmentation(), frame, model, result.timings(), decodeMs,
                inferenceTimestamp);
        out.setMaskWidth(result.maskWidth());
        out.setMaskHeight(result.maskHeight());
        out.setLabels(labels == null ? List.of() : labels);
        out.setMask(RunLengthMask.newBuilder()
                .setClassIds(Arrays.stream(result.classIds()).boxed().toList())
                .setRunLengths(Arrays.stream(result.runLengths()).boxed().toList())
                .build());
        out.setClassFractions(result.shares().stream()
                .map(s -> new ClassFraction(s.classId(), s.label(), s.fraction()))
                .toList());
        return out;
    }

    /**
     * Writes the header every result record carries: which frame (camera, sequence, its timestamps and size), which
     * model, and where the time went. The result schemas share these fields by name and type, so one writer serves
     * them all; a schema that lost one fails here, on its first record.
     */
    private static <T extends SpecificRecordBase> T withHeader(T record, VideoFrame frame, ModelInfo model,
                                                               StageTimings timings, float decodeMs,
                                                               long inferenceTimestamp) {
        record.put("cameraId", frame.getCameraId());
        record.put("sequence", frame.getSequence());
        record.put("captureTimestamp", frame.getCaptureTimestamp());
        record.put("ingestTimestamp", frame.getIngestTimestamp());
        record.put("inferenceTimestamp", Instant.ofEpochMilli(inferenceTimestamp));
        record.put("frameWidth", frame.getWidth());
        record.put("frameHeight", frame.getHeight());
        record.put("model", ModelInfo.newBuilder(model).build()); // a copy per record: records are mutable
        record.put("latencies", latencies(timings, decodeMs));
        return record;
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
