package io.emostream.models.emo;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.InvalidProtocolBufferException;
import io.emostream.models.card.ModelCard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an ONNX file holds: its inputs and outputs (names, element types, shapes), initializer sizes, and the model
 * card when one lies beside it. Works for any valid ONNX file, ours or another tool's; it reads the protobuf and
 * needs no inference session.
 */
public final class ModelDescriber {
    /** Protobuf cannot read messages of 2 GiB or more; such models keep their weights in external files. */
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @param shape dimensions: a number, or the name of a symbolic dimension, or "?" when unknown */
    public record TensorInfo(String name, String type, List<String> shape) { }

    /**
     * @param parameters trainable parameters from the card; null without a card
     * @param task       from the card; null without a card
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Description(String name, String task, Long parameters, List<TensorInfo> inputs,
                              List<TensorInfo> outputs, long initializerElements, int nodes, long opset,
                              String producer, String file, ModelCard card) {
        public String toJson() {
            try {
                return JSON.writeValueAsString(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A few lines for people. */
        public String toText() {
            StringBuilder s = new StringBuilder(name);
            if (card != null) {
                s.append(String.format(Locale.ROOT, "  (%s, %,d parameters)%n", task, parameters));
                s.append("architecture: ").append(card.architecture()).append('\n');
                s.append("weights:      ").append(card.weights() == null ? "unknown" : card.weights().description())
                        .append(card.untrained() ? " (UNTRAINED: outputs are not meaningful)" : "").append('\n');
                ModelCard.InputSpec in = card.input();
                s.append(String.format(Locale.ROOT, "preprocess:   %s %s, resize %s, mean %s, std %s%s%n",
                        in.layout(), in.colorOrder(), resize(in), Arrays.toString(in.mean()),
                        Arrays.toString(in.std()), in.padDivisor() > 1 ? String.format(Locale.ROOT,
                                ", then pad bottom/right to a multiple of %d with %s", in.padDivisor(),
                                in.padTensorValue()) : ""));
            } else {
                s.append("  (no model card)\n");
            }
            inputs.forEach(t -> s.append("input  ").append(line(t)).append('\n'));
            for (TensorInfo t : outputs) {
                s.append("output ").append(line(t));
                if (card != null) {
                    card.outputs().stream().filter(o -> o.name().equals(t.name())).findFirst()
                            .ifPresent(o -> s.append("  ").append(o.description()));
                }
                s.append('\n');
            }
            s.append(String.format(Locale.ROOT, "graph:        opset %d, %d nodes, %,d initializer elements, "
                    + "producer %s%nfile:         %s%n", opset, nodes, initializerElements, producer, file));
            return s.toString();
        }

        private static String line(TensorInfo t) {
            return t.name() + " " + t.type() + " [" + String.join(", ", t.shape()) + "]";
        }
    }

    private ModelDescriber() { }

    /** @throws IllegalArgumentException for a missing, unreadable, oversized or invalid ONNX file */
    public static Description describe(Path onnx) {
        if (!Files.isRegularFile(onnx)) {
            throw new IllegalArgumentException("no such model file: " + onnx);
        }
        ModelProto model;
        try {
            if (Files.size(onnx) >= MAX_FILE_BYTES) {
                throw new IllegalArgumentException(onnx + " is 2 GiB or larger; only models with their weights "
                        + "inside a smaller file can be described");
            }
            try (InputStream in = Files.newInputStream(onnx)) {
                model = ModelProto.parseFrom(in);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a valid ONNX model: " + onnx + " (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + onnx + ": " + e.getMessage());
        }
        if (model.getIrVersion() <= 0 || !model.hasGraph() || model.getGraph().getOutputCount() == 0) {
            throw new IllegalArgumentException("not a valid ONNX model: " + onnx + " (no graph with outputs)");
        }
        GraphProto graph = model.getGraph();
        Set<String> initializers = graph.getInitializerList().stream().map(TensorProto::getName)
                .collect(Collectors.toSet());
        List<TensorInfo> inputs = new ArrayList<>();
        for (ValueInfoProto v : graph.getInputList()) {
            if (!initializers.contains(v.getName())) {
                inputs.add(info(v));
            }
        }
        List<TensorInfo> outputs = graph.getOutputList().stream().map(ModelDescriber::info).toList();
        long elements = graph.getInitializerList().stream()
                .mapToLong(t -> t.getDimsList().stream().reduce(1L, Math::multiplyExact)).sum();
        long opset = model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain()
                .equals("ai.onnx")).mapToLong(o -> o.getVersion()).findFirst().orElse(0);
        ModelCard card = readCard(onnx);
        String name = card != null ? card.name() : stem(onnx);
        return new Description(name, card == null ? null : card.task().name().toLowerCase(Locale.ROOT),
                card == null ? null : card.parameters(), inputs, outputs, elements, graph.getNodeCount(), opset,
                model.getProducerName(), onnx.toString(), card);
    }

    private static ModelCard readCard(Path onnx) {
        Path cardFile = ModelCard.cardPathFor(onnx);
        if (!Files.isRegularFile(cardFile)) {
            return null;
        }
        try {
            return ModelCard.read(cardFile);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable model card " + cardFile + ": " + e.getMessage());
        }
    }

    private static TensorInfo info(ValueInfoProto v) {
        if (!v.getType().hasTensorType()) {
            return new TensorInfo(v.getName(), v.getType().getValueCase().name().toLowerCase(Locale.ROOT), List.of());
        }
        var tensor = v.getType().getTensorType();
        TensorProto.DataType type = TensorProto.DataType.forNumber(tensor.getElemType());
        List<String> shape = new ArrayList<>();
        for (TensorShapeProto.Dimension d : tensor.getShape().getDimList()) {
            shape.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.hasDimParam() ? d.getDimParam() : "?");
        }
        return new TensorInfo(v.getName(), type == null ? "unknown" : type.name().toLowerCase(Locale.ROOT), shape);
    }

    private static String stem(Path onnx) {
        String f = onnx.getFileName().toString();
        return f.endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
    }

    /** {@code FIT within 1333x800 (input follows the frame)}, or the resize's name. */
    private static String resize(ModelCard.InputSpec in) {
        return in.sizeFollowsFrame() && in.fitWithin() != null
                ? "FIT within " + in.fitWithin()[0] + "x" + in.fitWithin()[1] + " (input size follows the frame)"
                : String.valueOf(in.resize());
    }
}
