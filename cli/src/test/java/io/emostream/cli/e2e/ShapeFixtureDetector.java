package io.emostream.cli.e2e;

import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.Detection;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.fixtures.StandInPredictor;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.image.MatImage;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.StageTimings;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.inRange;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;

/**
 * A TEST FIXTURE, not a model: "detects" the two shapes that {@code SyntheticVideo} draws by their colour, so that
 * end-to-end tracking and analytics tests have boxes whose truth is known (the EMO weights are untrained). The red
 * disc is reported as a "person", the green box as a "car". Its card says it is a fixture and untrained.
 */
public final class ShapeFixtureDetector extends StandInPredictor<DetectionResult> {
    public static final String NAME = "fixture-shape-finder";
    private static final StageTimings NO_TIMINGS = new StageTimings(0, 0, 0, 0, 1);
    /** BGR bounds with room for JPEG's colour error; the white frame counter falls outside both. */
    private static final double[][] RED = {{0, 0, 150}, {120, 120, 255}};
    private static final double[][] GREEN = {{0, 130, 0}, {150, 255, 150}};
    private static final int MIN_PIXELS = 20;

    public ShapeFixtureDetector() {
        super(new ModelCard(NAME, "0.0.1", "test fixture: colour thresholds, no network",
                ModelCard.Task.DETECTION, 0, null, List.of(), null, null, List.of("person", "car"),
                new ModelCard.WeightsProvenance(false, "fixture", null, null, null,
                        "test fixture that finds SyntheticVideo's shapes by colour; not a trained model")));
    }

    @Override
    public CompletableFuture<DetectionResult> submit(DecodedImage image) {
        try {
            return CompletableFuture.completedFuture(predict(image));
        } catch (InferenceException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public DetectionResult predict(DecodedImage image) throws InferenceException {
        if (!(image instanceof MatImage mat)) throw new InferenceException(InferenceException.Reason.MODEL_ERROR, "the fixture needs an OpenCV image");
        List<Detection> found = new ArrayList<>(2);
        find(mat.mat(), RED, 0, "person", found);
        find(mat.mat(), GREEN, 1, "car", found);
        return new DetectionResult(found, NO_TIMINGS);
    }

    private static void find(Mat bgr, double[][] bounds, int classId, String label, List<Detection> found) {
        try (Scalar low = new Scalar(bounds[0][0], bounds[0][1], bounds[0][2], 0);
             Scalar high = new Scalar(bounds[1][0], bounds[1][1], bounds[1][2], 255);
             Mat lowMat = new Mat(low);
             Mat highMat = new Mat(high);
             Mat mask = new Mat()) {
            inRange(bgr, lowMat, highMat, mask);
            if (countNonZero(mask) < MIN_PIXELS) return;
            try (Rect r = boundingRect(mask)) {
                float w = bgr.cols();
                float h = bgr.rows();
                found.add(new Detection(classId, label, 0.95f, r.x(), r.y(), r.x() + r.width(), r.y() + r.height(),
                        r.x() / w, r.y() / h, (r.x() + r.width()) / w, (r.y() + r.height()) / h));
            }
        }
    }
}
