package io.emostream.models;

import io.emostream.models.card.ModelCard;
import io.emostream.models.card.Sha256;
import io.emostream.models.detection.Detection;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.detection.PostNmsDecoder;
import io.emostream.models.detection.AnchorBoxDecoder;
import io.emostream.models.emo.GraphAtInputSize;
import io.emostream.models.image.FrameMapping;
import io.emostream.models.runtime.BatchedPredictor;
import io.emostream.models.runtime.ModelLoadException;
import io.emostream.models.runtime.ModelSession;
import io.emostream.models.runtime.OutputDecoder;
import io.emostream.models.runtime.Predictor;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.models.runtime.SharedPredictor;
import io.emostream.models.runtime.SizeFollowingPredictor;
import io.emostream.models.runtime.StageTimings;
import io.emostream.models.segmentation.RunLengthMask;
import io.emostream.models.segmentation.SegmentationDecoder;
import io.emostream.models.segmentation.SegmentationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The models module's entry point: a detector or segmenter per model file (its card read from
 * {@link ModelCard#cardPathFor}), on its own or shared JVM-wide. It sits above the task-agnostic runtime (sessions,
 * batcher, sharing) and joins it to each task's decoder, so that the runtime knows no task.
 *
 * <p>Kafka Streams runs many stream threads and tasks in one JVM; {@link #sharedDetector}/{@link #sharedSegmenter}
 * give them all a handle on one predictor per model file, see {@link SharedPredictor}.
 */
public final class Predictors {
    private static final Logger LOG = LoggerFactory.getLogger(Predictors.class);

    private Predictors() { }

    public static Predictor<DetectionResult> detector(Path onnx, RuntimeConfig config) throws ModelLoadException {
        return opened(onnx, readCard(onnx, ModelCard.Task.DETECTION), config, Predictors::detector);
    }

    public static Predictor<SegmentationResult> segmenter(Path onnx, RuntimeConfig config) throws ModelLoadException {
        return opened(onnx, readCard(onnx, ModelCard.Task.SEGMENTATION), config, Predictors::segmenter);
    }

    /** Opens the predictor of one graph file with the card that describes it. */
    @FunctionalInterface
    private interface Opener<R> {
        Predictor<R> open(Path onnx, ModelCard card, RuntimeConfig config) throws ModelLoadException;
    }

    /**
     * The model's own graph; for a card whose input size follows the frame (FIT), inside a
     * {@link SizeFollowingPredictor} that builds the graph of each further input size from the file's weights
     * ({@link GraphAtInputSize}) when frames first need it.
     */
    private static <R> Predictor<R> opened(Path onnx, ModelCard card, RuntimeConfig config, Opener<R> opener)
            throws ModelLoadException {
        if (card.input().sizeFollowsFrame()) {
            try {
                FrameMapping.forInput(card.input(), card.input().width(), card.input().height());
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException("model card " + ModelCard.cardPathFor(onnx) + ": " + e.getMessage(), e);
            }
        }
        Predictor<R> first = opener.open(onnx, card, config);
        if (!card.input().sizeFollowsFrame()) {
            return first;
        }
        return new SizeFollowingPredictor<>(card, first, config,
                (width, height) -> atInputSize(onnx, card, config, opener, width, height));
    }

    /** The graph at another size, written to a temporary file that is gone once its session has read it. */
    private static <R> Predictor<R> atInputSize(Path onnx, ModelCard card, RuntimeConfig config, Opener<R> opener,
                                                int width, int height) throws ModelLoadException {
        Path graph = null;
        try {
            graph = Files.createTempFile("emostream-" + card.name() + "-" + height + "x" + width + "-", ".onnx");
            GraphAtInputSize.write(onnx, card, height, width, graph);
            return opener.open(graph, card.atInputSize(height, width), config);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new ModelLoadException("cannot build model " + card.name() + " at input size " + width + "x"
                    + height + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(graph);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete the temporary graph {}: {}", file, e.toString());
        }
    }

    private static Predictor<DetectionResult> detector(Path onnx, ModelCard card, RuntimeConfig config)
            throws ModelLoadException {
        ModelCard.DetectionSpec spec = card.detection();
        if (spec == null || spec.format() == null) {
            throw new ModelLoadException("model card " + ModelCard.cardPathFor(onnx) + " has no detection spec");
        }
        OutputDecoder<List<Detection>> decoder;
        try {
            decoder = spec.format() == ModelCard.DetectionFormat.POST_NMS ? new PostNmsDecoder(card)
                    : new AnchorBoxDecoder(card);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("model card " + ModelCard.cardPathFor(onnx) + ": " + e.getMessage(), e);
        }
        ModelSession session = open(onnx, card, config, spec.scoresOutput(), spec.boxesOutput());
        if (decoder instanceof AnchorBoxDecoder anchored) {
            checkAnchors(onnx, session, spec.scoresOutput(), anchored.anchorCount());
            checkAnchors(onnx, session, spec.boxesOutput(), anchored.anchorCount());
        }
        return build(card, session, config, decoder, DetectionResult::new);
    }

    private static Predictor<SegmentationResult> segmenter(Path onnx, ModelCard card, RuntimeConfig config)
            throws ModelLoadException {
        if (card.segmentation() == null || card.segmentation().format() == null) {
            throw new ModelLoadException("model card " + ModelCard.cardPathFor(onnx) + " has no segmentation spec");
        }
        ModelSession session = open(onnx, card, config, card.segmentation().output());
        SegmentationDecoder decoder = new SegmentationDecoder(card, config.maskMaxSide());
        return build(card, session, config, decoder, (RunLengthMask m, StageTimings t) -> new SegmentationResult(
                m.width(), m.height(), m.classIds(), m.runLengths(), m.shares(), t));
    }

    /** A handle on the JVM-wide detector of this model file, see {@link SharedPredictor}. */
    public static SharedPredictor<DetectionResult> sharedDetector(Path onnx, RuntimeConfig config)
            throws ModelLoadException {
        return SharedPredictor.open("detector " + onnx.toAbsolutePath().normalize(), config,
                () -> detector(onnx, config));
    }

    /** A handle on the JVM-wide segmenter of this model file, see {@link SharedPredictor}. */
    public static SharedPredictor<SegmentationResult> sharedSegmenter(Path onnx, RuntimeConfig config)
            throws ModelLoadException {
        return SharedPredictor.open("segmenter " + onnx.toAbsolutePath().normalize(), config,
                () -> segmenter(onnx, config));
    }

    private static <P, R> Predictor<R> build(ModelCard card, ModelSession session, RuntimeConfig config,
                                             OutputDecoder<P> decoder, BiFunction<P, StageTimings, R> assemble)
            throws ModelLoadException {
        try {
            return new BatchedPredictor<>(card, session, config, decoder, assemble);
        } catch (IllegalArgumentException e) {
            session.close();
            throw new ModelLoadException("model " + card.name() + ": " + e.getMessage(), e);
        }
    }

    private static ModelCard readCard(Path onnx, ModelCard.Task task) throws ModelLoadException {
        if (!Files.isRegularFile(onnx)) {
            throw new ModelLoadException("model file " + onnx + " not found");
        }
        Path cardFile = ModelCard.cardPathFor(onnx);
        if (!Files.isRegularFile(cardFile)) {
            throw new ModelLoadException("model card " + cardFile + " not found; every model needs its card beside it"
                    + " (the models command writes both)");
        }
        ModelCard card;
        try {
            card = ModelCard.read(cardFile);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read model card " + cardFile + ": " + e.getMessage(), e);
        }
        checkIntegrity(onnx, cardFile, card);
        if (card.task() != task) {
            throw new ModelLoadException("model card " + cardFile + " is for task " + card.task() + ", not " + task);
        }
        if (card.input() == null || card.input().shape() == null || card.input().shape().length != 4
                || card.input().shape()[1] != 3) {
            throw new ModelLoadException("model card " + cardFile + ": input must be NCHW with 3 channels, got "
                    + (card.input() == null ? "none" : Arrays.toString(card.input().shape())));
        }
        return card;
    }

    /** A model file changed after its card was written (edited, damaged, swapped) is refused, not run. */
    private static void checkIntegrity(Path onnx, Path cardFile, ModelCard card) throws ModelLoadException {
        if (card.onnxSha256() == null) {
            LOG.debug("model card {} records no onnxSha256 (written before cards recorded it): {} loads unchecked",
                    cardFile, onnx.getFileName());
            return;
        }
        String actual;
        try {
            actual = Sha256.of(onnx);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read model file " + onnx + ": " + e.getMessage(), e);
        }
        if (!actual.equalsIgnoreCase(card.onnxSha256())) {
            throw new ModelLoadException("model file " + onnx + " does not match its card " + cardFile
                    + ": expected SHA-256 " + card.onnxSha256() + ", actual " + actual + "; the file changed after"
                    + " the card was written: rebuild it (emostream models) or re-import it (emostream models import),"
                    + " which writes both files again");
        }
    }

    /** Opens the session and checks the graph against the card: input name and shape, the outputs named. */
    private static ModelSession open(Path onnx, ModelCard card, RuntimeConfig config, String... outputs)
            throws ModelLoadException {
        ModelSession session = ModelSession.open(onnx, card.input().name(), card.input().shape(), config);
        try {
            long[] graph = session.inputShape();
            long[] declared = card.input().shape();
            if (graph.length != 4) {
                throw new ModelLoadException("input '" + card.input().name() + "' of " + onnx + " has shape "
                        + Arrays.toString(graph) + "; the card says " + Arrays.toString(declared));
            }
            for (int d = 1; d < 4; d++) {
                if (graph[d] > 0 && graph[d] != declared[d]) {
                    throw new ModelLoadException("input '" + card.input().name() + "' of " + onnx + " has shape "
                            + Arrays.toString(graph) + " but its card says " + Arrays.toString(declared));
                }
                if (graph[d] <= 0) {
                    throw new ModelLoadException("input '" + card.input().name() + "' of " + onnx
                            + " has a symbolic channel/height/width " + Arrays.toString(graph) + "; fixed sizes needed");
                }
            }
            if (graph[0] > 1 || (graph[0] == 1 && config.maxBatch() > 1)) {
                throw new ModelLoadException("model " + onnx + " has a fixed batch size of " + graph[0]
                        + "; export it with a dynamic batch dimension or set maxBatch to 1");
            }
            Map<String, long[]> shapes = session.outputShapes();
            for (String output : outputs) {
                if (!shapes.containsKey(output)) {
                    throw new ModelLoadException("model " + onnx + " has no output '" + output + "' named by its card; "
                            + "its outputs are " + shapes.keySet());
                }
            }
            return session;
        } catch (ModelLoadException e) {
            session.close();
            throw e;
        }
    }

    private static void checkAnchors(Path onnx, ModelSession session, String output, int anchors)
            throws ModelLoadException {
        long[] shape = session.outputShapes().get(output);
        if (shape.length >= 2 && shape[1] > 0 && shape[1] != anchors) {
            session.close();
            throw new ModelLoadException("output '" + output + "' of " + onnx + " has " + shape[1]
                    + " anchors but the card's anchor spec makes " + anchors);
        }
    }
}
