package io.emostream.models.detection;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.FrameMapping;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.OutputDecoder;
import io.emostream.models.runtime.RowOutput;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the post-NMS contract exporters write ({@link ModelCard.DetectionFormat#POST_NMS}): {@code dets} [K, 5] as
 * x1, y1, x2, y2, score in model-input pixels and {@code labels} [K] class ids. Rows under the score threshold or
 * with a negative label (padding) are skipped; boxes are mapped to the frame, best score first, at most
 * {@code maxDetections}.
 */
public final class PostNmsDecoder implements OutputDecoder<List<Detection>> {
    private final ModelCard.DetectionSpec spec;
    private final DetectionMapper mapper;

    public PostNmsDecoder(ModelCard card) {
        this.spec = card.detection();
        this.mapper = new DetectionMapper(card.labels());
    }

    @Override
    public List<Detection> decode(RowOutput row, FrameMapping mapping) throws InferenceException {
        float[] dets = row.values(spec.scoresOutput());
        float[] labels = row.values(spec.boxesOutput());
        if (dets.length != labels.length * 5) {
            throw new InferenceException(InferenceException.Reason.OUTPUT_MISMATCH,
                    "post-NMS outputs disagree: '" + spec.scoresOutput() + "' has " + dets.length
                    + " values, expected 5 per label of '" + spec.boxesOutput() + "' (" + labels.length + ")");
        }
        List<Detection> detections = new ArrayList<>();
        for (int k = 0; k < labels.length; k++) {
            float score = dets[5 * k + 4];
            if (score < spec.scoreThreshold() || score <= 0 || labels[k] < 0) {
                continue;
            }
            Detection d = mapper.map(mapping, (int) labels[k], score,
                    dets[5 * k], dets[5 * k + 1], dets[5 * k + 2], dets[5 * k + 3]);
            if (d != null) {
                detections.add(d);
            }
        }
        detections.sort(Comparator.comparingDouble(Detection::score).reversed());
        return detections.size() > spec.maxDetections() ? detections.subList(0, spec.maxDetections()) : detections;
    }
}
