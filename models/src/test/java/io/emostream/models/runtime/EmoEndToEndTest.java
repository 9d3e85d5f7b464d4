package io.emostream.models.runtime;

import io.emostream.models.Predictors;
import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.Detection;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.emo.EmoArch;
import io.emostream.models.emo.EmoModelBuilder;
import io.emostream.models.emo.Head;
import io.emostream.models.emo.ModelSpec;
import io.emostream.models.emo.ModelZoo;
import io.emostream.models.fixtures.Images;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.image.ImageDecoder;
import io.emostream.models.image.ImageFormat;
import io.emostream.models.image.ImageLimits;
import io.emostream.models.image.MatImage;
import io.emostream.models.segmentation.ClassShare;
import io.emostream.models.segmentation.SegmentationResult;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EMO-1M graphs of every detection and segmentation head (seeded, untrained weights) from the model builder, run end
 * to end (RetinaNet at 128 to keep it quick):
 * a JPEG encoded with OpenCV -> ImageDecoder -> shared batcher -> post-processing. Untrained outputs are not
 * meaningful, so this checks the contract: it runs, and every result is well-formed for the frame.
 */
class EmoEndToEndTest {
    @TempDir
    static Path cache;
    private static byte[] jpeg;

    @BeforeAll
    static void encodeFrame() {
        try (Mat frame = new Mat(360, 640, CV_8UC3, new Scalar(90, 140, 60, 0));
             Scalar red = new Scalar(30, 30, 220, 0); Scalar white = new Scalar(250, 250, 250, 0);
             Point a = new Point(100, 80); Point b = new Point(300, 280); Point c = new Point(480, 180)) {
            rectangle(frame, a, b, red, -1, 8, 0);
            circle(frame, c, 70, white, -1, 8, 0);
            Mat copy = frame.clone();
            try (MatImage image = new MatImage(copy)) {
                jpeg = Images.encode(image, ".jpg");
            }
        }
    }

    private static DecodedImage decode() throws Exception {
        return new ImageDecoder(ImageLimits.DEFAULT).decode(jpeg, ImageFormat.JPEG, 640, 360);
    }

    private static Path build(ModelSpec spec) throws Exception {
        EmoModelBuilder builder = new EmoModelBuilder();
        return builder.build(spec, builder.initialise(spec, ModelZoo.DEFAULT_SEED),
                ModelCard.WeightsProvenance.seeded(ModelZoo.DEFAULT_SEED), cache).onnxFile();
    }

    static List<ModelSpec> detectors() {
        return List.of(ModelSpec.defaults(EmoArch.EMO_1M, Head.SSDLITE),
                ModelSpec.defaults(EmoArch.EMO_1M, Head.RETINANET).withInputSize(128));
    }

    @ParameterizedTest
    @MethodSource("detectors")
    void emo1mDetectorsDetectOnARealJpegThroughTheBatcher(ModelSpec spec) throws Exception {
        Path onnx = build(spec);
        RuntimeConfig config =
                RuntimeConfig.builder().provider(ExecutionProvider.CPU).maxBatch(4).maxWaitMs(20).build();
        try (SharedPredictor<DetectionResult> p = Predictors.sharedDetector(onnx, config); DecodedImage image = decode()) {
            assertTrue(p.card().untrained());
            assertEquals(spec.head() == Head.SSDLITE ? ModelCard.DetectionFormat.SSD_RAW
                    : ModelCard.DetectionFormat.RETINANET_RAW, p.card().detection().format());
            CompletableFuture<DetectionResult> first = p.submit(image);
            CompletableFuture<DetectionResult> second = p.submit(image);
            for (DetectionResult r : List.of(first.get(), second.get())) {
                assertTrue(r.detections().size() <= p.card().detection().maxDetections());
                float previous = Float.MAX_VALUE;
                for (Detection d : r.detections()) {
                    assertTrue(d.score() <= previous && d.score() >= p.card().detection().scoreThreshold(), d.toString());
                    previous = d.score();
                    assertTrue(d.x1() >= 0 && d.x1() < d.x2() && d.x2() <= 640, d.toString());
                    assertTrue(d.y1() >= 0 && d.y1() < d.y2() && d.y2() <= 360, d.toString());
                    assertEquals(p.card().labels().get(d.classId()), d.label());
                }
                assertTrue(r.timings().inferenceMs() > 0);
            }
            assertEquals(first.get().detections(), second.get().detections()); // same frame, same answer
        }
    }

    @ParameterizedTest
    @EnumSource(value = Head.class, names = {"DEEPLABV3", "PSPNET"})
    void emo1mSegmentersSegmentARealJpegThroughTheBatcher(Head head) throws Exception {
        Path onnx = build(ModelSpec.defaults(EmoArch.EMO_1M, head));
        RuntimeConfig config = RuntimeConfig.builder().provider(ExecutionProvider.CPU).maskMaxSide(256).build();
        try (SharedPredictor<SegmentationResult> p = Predictors.sharedSegmenter(onnx, config);
             DecodedImage image = decode()) {
            SegmentationResult r = p.predict(image);
            assertEquals(256, r.maskWidth());
            assertEquals(144, r.maskHeight());
            long pixels = 0;
            for (int length : r.runLengths()) {
                pixels += length;
            }
            assertEquals(256L * 144, pixels);
            float total = 0;
            for (ClassShare s : r.shares()) {
                total += s.fraction();
                int offset = p.card().segmentation().labelOffset();
                assertTrue(s.classId() >= offset, s.toString());
                assertEquals(p.card().labels().get(s.classId() - offset), s.label()); // ADE20K id k+1 = output k

            }
            assertEquals(1f, total, 1e-3f);
        }
    }
}
