package io.emostream.models.emo;

import io.emostream.models.card.ModelCard;
import io.emostream.models.card.ModelCard.AnchorLevel;
import io.emostream.models.card.ModelCard.AnchorSpec;
import io.emostream.models.card.ModelCard.DetectionFormat;
import io.emostream.models.card.ModelCard.DetectionSpec;
import io.emostream.models.card.ModelCard.GridAnchorSpec;
import io.emostream.models.card.ModelCard.InputSpec;
import io.emostream.models.card.ModelCard.SegmentationFormat;
import io.emostream.models.card.ModelCard.SegmentationSpec;
import io.emostream.models.card.ModelCard.Task;
import io.emostream.models.card.ModelCard.WeightsProvenance;
import io.emostream.models.card.Sha256;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Builds EMO networks as ONNX graphs (opset 17, symbolic batch dimension {@code N}) with a model card beside them.
 * Parameters are named as in the reference checkpoints, so trained weights map onto {@link #parameterSpecs} by name;
 * without them {@link #initialise} gives deterministic, seeded, untrained weights.
 */
public final class EmoModelBuilder {
    public static final int OPSET = 17;
    /**
     * The graph's revision, written as the card's version. Raise it whenever the graph written for the same spec and
     * weights changes (layout, fused forms), so that caches built by an older builder are rebuilt. 2: LayerNorm as
     * InstanceNormalization, attention ungrouped in NHWC. 3: cards state the authors' pre-processing (FIT inputs).
     */
    public static final String VERSION = "3";
    /** ImageNet statistics on the 0..255 scale, RGB; every EMO head was trained with them. */
    private static final float[] MEAN = {123.675f, 116.28f, 103.53f};
    private static final float[] STD = {58.395f, 57.12f, 57.375f};
    /** SSDLite anchors as configured for 320x320 input; other sizes scale the box sizes. */
    private static final int SSD_REFERENCE_SIZE = 320;
    private static final float[] SSD_MIN_SIZES = {48, 100, 150, 202, 253, 304};
    private static final float[] SSD_MAX_SIZES = {100, 150, 202, 253, 304, 320};
    /** Ratios [2, 3] as height/width: 1/2, 2, 1/3, 3, each at the min size. */
    private static final float[] SSD_RATIOS = {0.5f, 2f, 1f / 3, 3f};
    private static final float[] SSD_VARIANCES = {0.1f, 0.1f, 0.2f, 0.2f};

    /** Every tensor of the model, in graph order (BatchNorm running statistics marked not trainable). */
    public List<ParameterSpec> parameterSpecs(ModelSpec spec) {
        return EmoNetwork.declare(spec).stream().map(EmoNetwork.Param::spec).toList();
    }

    /** Sum of the trainable tensors' sizes: the figure papers report. */
    public long trainableParameters(ModelSpec spec) {
        return parameterSpecs(spec).stream().filter(ParameterSpec::trainable).mapToLong(ParameterSpec::elements).sum();
    }

    /**
     * Deterministic weights: BatchNorm and LayerNorm at identity (running stats 0/1), biases 0, weights normal with
     * std = gain / sqrt(fan in) (gain sqrt 2 before an activation, 1 for linear outputs, 0.5 for residual branches),
     * each tensor drawn from its own stream seeded by the seed and its name.
     */
    public ParameterSet initialise(ModelSpec spec, long seed) {
        ParameterSet set = new ParameterSet();
        for (EmoNetwork.Param p : EmoNetwork.declare(spec)) {
            float[] data = new float[Math.toIntExact(p.spec().elements())];
            if (p.init().std() < 0) {
                Arrays.fill(data, p.init().fill());
            } else {
                SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + p.spec().name().hashCode());
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (random.nextGaussian() * p.init().std());
                }
            }
            set.put(p.spec().name(), p.spec().shape(), data);
        }
        return set;
    }

    /**
     * Writes {@code <outDir>/<spec.name()>.onnx} and its card. Files appear atomically, the model last, so a reader
     * that finds the model also finds its card.
     *
     * @throws IllegalArgumentException when {@code params} lacks a tensor or has one of the wrong shape
     */
    public BuiltModel build(ModelSpec spec, ParameterSet params, WeightsProvenance weights, Path outDir)
            throws IOException {
        EmoNetwork net = EmoNetwork.build(spec, params);
        ModelCard card = card(spec, net, weights);
        Files.createDirectories(outDir);
        Path onnx = outDir.resolve(spec.name() + ".onnx");
        Path cardFile = ModelCard.cardPathFor(onnx);
        String tmp = "." + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId() + ".tmp";
        Path tmpCard = outDir.resolve(cardFile.getFileName() + tmp);
        Path tmpOnnx = outDir.resolve(onnx.getFileName() + tmp);
        try {
            net.graph().write(tmpOnnx);
            card = card.withOnnxSha256(Sha256.of(tmpOnnx));
            card.write(tmpCard);
            Files.move(tmpCard, cardFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmpOnnx, onnx, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmpCard);
            Files.deleteIfExists(tmpOnnx);
        }
        return new BuiltModel(onnx, cardFile, card);
    }

    /**
     * Writes only the graph of {@code spec} (no card) to {@code onnx}: the same model at another input size, for the
     * runtime, which keeps the card of the model file it came from.
     */
    public void writeGraph(ModelSpec spec, ParameterSet params, Path onnx) throws IOException {
        EmoNetwork.build(spec, params).graph().write(onnx);
    }

    private ModelCard card(ModelSpec spec, EmoNetwork net, WeightsProvenance weights) {
        InputSpec input = inputSpec(spec);
        long parameters = trainableParameters(spec);
        DetectionSpec detection = switch (spec.head()) {
            case SSDLITE -> new DetectionSpec(DetectionFormat.SSD_RAW, "scores", "deltas", spec.classes(),
                    anchors(spec), SSD_VARIANCES.clone(), 0.02f, 1000, 0.45f, 200);
            case RETINANET -> new DetectionSpec(DetectionFormat.RETINANET_RAW, "scores", "deltas", -1, null,
                    new float[]{1, 1, 1, 1}, 0.05f, 1000, 0.5f, 100, retinaAnchors());
            default -> null;
        };
        SegmentationSpec segmentation = spec.task() == Task.SEGMENTATION
                ? new SegmentationSpec(SegmentationFormat.LOGITS, "logits", 1) : null;
        return new ModelCard(spec.name(), VERSION, spec.description(), spec.task(), parameters, input,
                List.copyOf(net.outputs()), detection, segmentation, labels(spec), weights)
                .withEmoGraph(new ModelCard.EmoGraph(spec.arch().id(), spec.head().id(), spec.window(),
                        spec.attnPre(), spec.classes()));
    }

    /**
     * The card's input for {@code spec}: the authors' test pipelines (docs/MODELS.md, "Before the model"), RGB with
     * the ImageNet statistics in all:
     * SSDLite stretches to its square input (mmdetection {@code Resize keep_ratio=False}, then {@code Pad
     * size_divisor=320}, nothing to pad at 320); RetinaNet fits within (1333, 800) with the aspect ratio kept and pads
     * the normalised tensor to multiples of 32; DeepLabv3 and PSPNet fit within (2048, 512), unpadded. A square input
     * other than the authors' scales the bounds with it (short bound = the side), so {@code -s256} stays small.
     * Classifiers stretch (the authors evaluate them at a 256 resize and a 224 centre crop, which the runtime, running
     * no classifier, does not do).
     */
    public static InputSpec inputSpec(ModelSpec spec) {
        long[] shape = {-1, 3, spec.inputHeight(), spec.inputWidth()};
        int side = Math.min(spec.inputHeight(), spec.inputWidth());
        int[] fit = switch (spec.head()) {
            case RETINANET -> new int[]{(int) Math.round(side * 1333.0 / 800), side};
            case DEEPLABV3, PSPNET -> new int[]{side * 4, side};
            case SSDLITE, CLASSIFIER -> null;
        };
        ModelCard.DivisorPad pad = switch (spec.head()) {
            case RETINANET -> new ModelCard.DivisorPad(32, 0);
            case SSDLITE -> spec.inputHeight() % SSD_REFERENCE_SIZE == 0
                    ? new ModelCard.DivisorPad(SSD_REFERENCE_SIZE, 0) : null;
            default -> null;
        };
        return new InputSpec(EmoNetwork.INPUT, shape, "NCHW", "RGB", MEAN.clone(), STD.clone(),
                fit == null ? ModelCard.Resize.STRETCH : ModelCard.Resize.FIT, 0f, fit, pad);
    }

    /** RetinaNet's AnchorGenerator: octave base scale 4, 3 scales per octave, ratios 1/2, 1, 2, strides 8-128. */
    static GridAnchorSpec retinaAnchors() {
        return new GridAnchorSpec(new float[]{8, 16, 32, 64, 128}, 4, 3, new float[]{0.5f, 1, 2}, 0);
    }

    /** Feature sizes follow the graph (stride 16, 32, then stride-2 convs); strides are input / feature size. */
    static AnchorSpec anchors(ModelSpec spec) {
        int s = spec.inputSize();
        float scale = (float) s / SSD_REFERENCE_SIZE;
        List<AnchorLevel> levels = new ArrayList<>();
        int size = s / 16;
        for (int l = 0; l < SSD_MIN_SIZES.length; l++) {
            levels.add(new AnchorLevel(size, Math.round((float) s / size), SSD_MIN_SIZES[l] * scale,
                    SSD_MAX_SIZES[l] * scale, SSD_RATIOS.clone()));
            size = (size + 1) / 2;
        }
        return new AnchorSpec(s, levels);
    }

    private static List<String> labels(ModelSpec spec) {
        String resource = switch (spec.task()) {
            case DETECTION -> "coco80.txt";
            case SEGMENTATION -> "ade20k150.txt";
            case CLASSIFICATION -> null;
        };
        if (resource != null) {
            List<String> names = readLines(resource);
            if (names.size() == spec.classes()) {
                return names;
            }
        }
        return IntStream.range(0, spec.classes()).mapToObj(i -> "class " + i).toList();
    }

    private static List<String> readLines(String resource) {
        try (InputStream in = EmoModelBuilder.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
