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
        String onnxSha256) {

    /** A card that records no ONNX hash yet: the builder adds it with {@link #withOnnxSha256} once the file exists. */
    public ModelCard(String name, String version, String architecture, Task task, long parameters, InputSpec input,
                     List<OutputSpec> outputs, DetectionSpec detection, SegmentationSpec segmentation,
                     List<String> labels, WeightsProvenance weights) {
        this(name, version, architecture, task, parameters, input, outputs, detection, segmentation, labels, weights,
                null);
    }

    public ModelCard withOnnxSha256(String sha256) {
        return new ModelCard(name, version, architecture, task, parameters, input, outputs, detection, segmentation,
                labels, weights, sha256);
    }

    public enum Task { DETECTION, SEGMENTATION, CLASSIFICATION }

    /** How a frame is turned into the input tensor. */
    public enum Resize {
        /** resize to the input size, aspect ratio not kept (SSDLite training used this) */
        STRETCH,
        /** keep the aspect ratio, pad the rest with {@link InputSpec#padValue()} */
        LETTERBOX
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
     */
    public record InputSpec(String name, long[] shape, String layout, String colorOrder, float[] mean, float[] std,
                            Resize resize, float padValue) {
        public int height() { return (int) shape[2]; }
        public int width() { return (int) shape[3]; }
    }

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
