package io.emostream.models.card;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the runtime needs to know about an ONNX model, written as JSON beside it ({@code model.onnx} ->
 * {@code model.card.json}). Models are data: nothing EMO-specific is hard-coded in the runtime, it reads this card.
 *
 * @param name         short name, e.g. {@code emo-1m-ssdlite}
 * @param version      model version carried into every result record
 * @param architecture human readable, e.g. {@code EMO-1M backbone + SSDLite head}
 * @param task         what the outputs mean
 * @param parameters   trainable parameters (BatchNorm running statistics not counted)
 * @param input        the single image input
 * @param outputs      every graph output, in graph order
 * @param detection    present for {@link Task#DETECTION}
 * @param segmentation present for {@link Task#SEGMENTATION}
 * @param labels       class names, indexed by the model's output class index (for segmentation the reported id is
 *                     that index + {@link SegmentationSpec#labelOffset()})
 * @param weights      where the weights came from
 * @param onnxSha256   SHA-256 of the ONNX file as written beside this card; loading refuses a file that no longer
 *                     matches it. Absent from cards written before it was recorded: those load unchecked.
 * @param emoGraph     how the EMO builder makes this model's graph at another input size (with the file's own
 *                     weights), for FIT inputs whose size follows the frame; absent from other models
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
        String name,
        String version,
        String architecture,
        Task task,
        long parameters,
        InputSpec input,
        List<OutputSpec> outputs,
        DetectionSpec detection,
        SegmentationSpec segmentation,
        List<String> labels,
        WeightsProvenance weights,
        String onnxSha256,
        EmoGraph emoGraph) {

    /** A card that records no ONNX hash yet: the builder adds it with {@link #withOnnxSha256} once the file exists. */
    public ModelCard(String name, String version, String architecture, Task task, long parameters, InputSpec input,
                     List<OutputSpec> outputs, DetectionSpec detection, SegmentationSpec segmentation,
                     List<String> labels, WeightsProvenance weights) {
        this(name, version, architecture, task, parameters, input, outputs, detection, segmentation, labels, weights,
                null, null);
    }

    public ModelCard withOnnxSha256(String sha256) {
        return new ModelCard(name, version, architecture, task, parameters, input, outputs, detection, segmentation,
                labels, weights, sha256, emoGraph);
    }

    public ModelCard withEmoGraph(EmoGraph graph) {
        return new ModelCard(name, version, architecture, task, parameters, input, outputs, detection, segmentation,
                labels, weights, onnxSha256, graph);
    }

    /** This card for the graph of the same model built at another input size (no file hash: built at run time). */
    public ModelCard atInputSize(int height, int width) {
        InputSpec in = new InputSpec(input.name(), new long[]{input.shape()[0], input.shape()[1], height, width},
                input.layout(), input.colorOrder(), input.mean(), input.std(), input.resize(), input.padValue(),
                input.fitWithin(), input.pad());
        return new ModelCard(name, version, architecture, task, parameters, in, outputs, detection, segmentation,
                labels, weights, null, emoGraph);
    }

    /**
     * What the EMO builder needs besides the weights and the input size to build this model's graph again.
     *
     * @param arch    {@code emo-1m}, ...
     * @param head    {@code retinanet}, ...
     * @param window  attention window
     * @param attnPre attend, then expand (every released model)
     * @param classes output classes
     */
    public record EmoGraph(String arch, String head, int window, boolean attnPre, int classes) { }

    public enum Task { DETECTION, SEGMENTATION, CLASSIFICATION }

    /** How a frame is turned into the input tensor. */
    public enum Resize {
        /** resize to the input size, aspect ratio not kept (SSDLite training used this) */
        STRETCH,
        /** keep the aspect ratio, pad the rest with {@link InputSpec#padValue()} */
        LETTERBOX,
        /**
         * keep the aspect ratio and scale as large as fits within {@link InputSpec#fitWithin()} (long side, short
         * side), as mmcv's {@code rescale_size} does: scale = min(long / the frame's long side, short / its short
         * side), each side {@code int(side * scale + 0.5)}. The input's size follows the frame's aspect ratio; the
         * graph in the file is the one for the size its shape names, other sizes need a graph of their own.
         */
        FIT
    }

    /**
     * @param name       graph input name
     * @param shape      with -1 for the symbolic batch dimension, e.g. [-1, 3, 320, 320]
     * @param layout     always {@code NCHW} for the built-in models
     * @param colorOrder {@code RGB} or {@code BGR}: channel order the network expects
     * @param mean       per channel, in the network's channel order, on the 0..255 scale
     * @param std        per channel, in the network's channel order, on the 0..255 scale
     * @param resize     how frames are fitted to the input size
     * @param padValue   pixel value (0..255) used by letterbox padding
     * @param fitWithin  for {@link Resize#FIT}: the bounds {long side, short side}, e.g. {1333, 800}
     * @param pad        padding of the normalised tensor to a multiple of a divisor; null for none
     */
    public record InputSpec(String name, long[] shape, String layout, String colorOrder, float[] mean, float[] std,
                            Resize resize, float padValue, int[] fitWithin, DivisorPad pad) {
        /** An input without FIT bounds or divisor padding (cards written before they existed read like this). */
        public InputSpec(String name, long[] shape, String layout, String colorOrder, float[] mean, float[] std,
                         Resize resize, float padValue) {
            this(name, shape, layout, colorOrder, mean, std, resize, padValue, null, null);
        }

        /** Height of the graph in the file (for FIT: the graph built for frames whose rule gives this size). */
        public int height() { return (int) shape[2]; }
        public int width() { return (int) shape[3]; }

        /** Whether the input's size follows the frame (FIT): a graph per input size. */
        public boolean sizeFollowsFrame() { return resize == Resize.FIT; }

        /** 1 when the card asks for no divisor padding. */
        public int padDivisor() { return pad == null || pad.divisor() < 1 ? 1 : pad.divisor(); }

        /** The value padded elements have in the normalised tensor. */
        public float padTensorValue() { return pad == null ? 0 : pad.value(); }
    }

    /**
     * mmdetection's {@code Pad(size_divisor)} after {@code Normalize}: the normalised tensor is padded at the bottom
     * and right (never top or left) up to the next multiple of {@code divisor} on each axis, with {@code value} (0 in
     * the authors' pipelines: padded elements are 0 in the tensor, not a pixel value). Boxes need no shift back.
     */
    public record DivisorPad(int divisor, float value) { }

    /** @param name graph output name; @param shape -1 for symbolic dims; @param description its contract in words */
    public record OutputSpec(String name, long[] shape, String description) { }

    public enum DetectionFormat {
        /** {@code scores} [N, A, C+1] softmax probabilities (background last) and {@code deltas} [N, A, 4] */
        SSD_RAW,
        /**
         * {@code scores} [N, A, C] sigmoid probabilities (no background column) and {@code deltas} [N, A, 4] against
         * the anchors of {@link DetectionSpec#anchorGrid()} (mmdetection's AnchorGenerator, as RetinaNet uses it)
         */
        RETINANET_RAW,
        /** {@code dets} [N, K, 5] (x1, y1, x2, y2, score in input pixels) and {@code labels} [N, K] */
        POST_NMS
    }

    /**
     * @param format          output contract
     * @param scoresOutput    name of the scores output (SSD_RAW) or the dets output (POST_NMS)
     * @param boxesOutput     name of the deltas output (SSD_RAW, RETINANET_RAW) or the labels output (POST_NMS)
     * @param backgroundIndex index of the background column in scores, -1 for none
     * @param anchors         SSD prior boxes (SSD_RAW only)
     * @param variances       delta coding stds (dx, dy, dw, dh); SSD_RAW and RETINANET_RAW
     * @param scoreThreshold  minimum class score kept
     * @param topKPerLevel    candidates (anchor and class pairs) kept per anchor level before NMS
     * @param nmsIou          class-aware NMS IoU threshold
     * @param maxDetections   detections kept per image after NMS
     * @param anchorGrid      mmdetection anchors (RETINANET_RAW only)
     */
    public record DetectionSpec(DetectionFormat format, String scoresOutput, String boxesOutput, int backgroundIndex,
                                AnchorSpec anchors, float[] variances, float scoreThreshold, int topKPerLevel,
                                float nmsIou, int maxDetections, GridAnchorSpec anchorGrid) {
        /** A spec without mmdetection anchors (SSD_RAW, POST_NMS). */
        public DetectionSpec(DetectionFormat format, String scoresOutput, String boxesOutput, int backgroundIndex,
                             AnchorSpec anchors, float[] variances, float scoreThreshold, int topKPerLevel,
                             float nmsIou, int maxDetections) {
            this(format, scoresOutput, boxesOutput, backgroundIndex, anchors, variances, scoreThreshold, topKPerLevel,
                    nmsIou, maxDetections, null);
        }
    }

    /**
     * Anchors as mmdetection's AnchorGenerator makes them. On the level of stride s (feature map ceil(H / s) x
     * ceil(W / s)), per location in this order: for each ratio r (height / width), for each scale
     * {@code octaveBaseScale * 2^(i / scalesPerOctave)}: a box of width s * scale / sqrt(r) and height
     * s * scale * sqrt(r), centred at (s * (column + centerOffset), s * (row + centerOffset)). Flattened level by
     * level, then location-major (row, column), then anchor; sizes follow the actual input, nothing is rescaled.
     */
    public record GridAnchorSpec(float[] strides, float octaveBaseScale, int scalesPerOctave, float[] ratios,
                                 float centerOffset) {
        public int anchorsPerLocation() { return scalesPerOctave * ratios.length; }
    }

    /**
     * SSD prior boxes. Per location, in this order: (minSize, ratio 1), (sqrt(minSize * maxSize), ratio 1), then each
     * of {@code aspectRatios} at minSize. Ratio = height / width. Centres at stride/2 + stride * index. Flattened
     * level by level, then location-major (row, column), then anchor.
     */
    public record AnchorSpec(int imageSize, List<AnchorLevel> levels) {
        public int total() {
            return levels.stream().mapToInt(AnchorLevel::count).sum();
        }
    }

    public record AnchorLevel(int featureSize, float stride, float minSize, float maxSize, float[] aspectRatios) {
        public int anchorsPerLocation() { return 2 + aspectRatios.length; }
        public int count() { return featureSize * featureSize * anchorsPerLocation(); }
    }

    public enum SegmentationFormat {
        /** {@code [N, C, h, w]} class scores; argmax over C */
        LOGITS,
        /** {@code [N, 1, H, W]} class ids */
        LABEL_MAP
    }

    /** @param output graph output name; @param labelOffset added to an output class index to get the dataset's id */
    public record SegmentationSpec(SegmentationFormat format, String output, int labelOffset) { }

    /**
     * @param trained     false while the weights are the seeded initialisation
     * @param source      {@code seed} or {@code checkpoint}
     * @param seed        the seed, for {@code seed}
     * @param checkpoint  file name of the imported checkpoint
     * @param sha256      SHA-256 of that checkpoint
     * @param description one line for people, e.g. "initialised from seed 42, untrained"
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WeightsProvenance(boolean trained, String source, Long seed, String checkpoint, String sha256,
                                    String description) {
        public static WeightsProvenance seeded(long seed) {
            return new WeightsProvenance(false, "seed", seed, null, null,
                    "initialised from seed " + seed + ", untrained");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The card path that belongs to a model file: {@code x.onnx} -> {@code x.card.json}. */
    public static Path cardPathFor(Path onnxFile) {
        String file = onnxFile.getFileName().toString();
        String stem = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
        return onnxFile.resolveSibling(stem + ".card.json");
    }

    public static ModelCard read(Path cardFile) throws IOException {
        return JSON.readValue(cardFile.toFile(), ModelCard.class);
    }

    public void write(Path cardFile) throws IOException {
        Files.createDirectories(cardFile.toAbsolutePath().getParent());
        JSON.writeValue(cardFile.toFile(), this);
    }

    /** Everything that shows detections says so while this is true. */
    public boolean untrained() {
        return weights == null || !weights.trained();
    }
}
