package io.emostream.models.emo;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.emostream.models.card.ModelCard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An EMO model file's graph built again at another input size, with the file's own weights: for FIT inputs, whose
 * size follows the frame's aspect ratio while a graph has one size (its attention grid, pooling matrices and anchor
 * count follow it). The weights do not depend on the size, so they are read from the file's initializers by their
 * reference names and the builder writes the graph for the new size around them.
 */
public final class GraphAtInputSize {
    private GraphAtInputSize() { }

    /**
     * Writes the graph of the model in {@code onnx} (described by {@code card}) at {@code height x width} to
     * {@code out}.
     *
     * @throws IllegalArgumentException when the card says no {@code emoGraph}, the size cannot be built, or the file
     *                                  lacks a weight of the graph
     */
    public static void write(Path onnx, ModelCard card, int height, int width, Path out) throws IOException {
        ModelCard.EmoGraph g = card.emoGraph();
        if (g == null) {
            throw new IllegalArgumentException("model " + card.name() + " has an input whose size follows the frame "
                    + "(FIT) but its card says no emoGraph, so no graph can be built for other sizes; build or import "
                    + "it with emostream models, or give the card a fixed-size resize (STRETCH or LETTERBOX)");
        }
        ModelSpec spec = new ModelSpec(EmoArch.parse(g.arch()), Head.parse(g.head()), g.window(), g.attnPre(),
                g.classes(), height, width);
        Map<String, TensorProto> stored = new HashMap<>();
        try (InputStream in = Files.newInputStream(onnx)) {
            for (TensorProto t : ModelProto.parseFrom(in).getGraph().getInitializerList()) {
                stored.put(t.getName(), t);
            }
        }
        EmoModelBuilder builder = new EmoModelBuilder();
        ParameterSet params = new ParameterSet();
        for (ParameterSpec p : builder.parameterSpecs(spec)) {
            TensorProto t = stored.get(p.name());
            if (t == null) {
                throw new IllegalArgumentException("model file " + onnx + " has no weight '" + p.name() + "' that "
                        + spec.description() + " needs; its card's emoGraph does not describe it");
            }
            params.put(p.name(), p.shape(), floats(t));
        }
        builder.writeGraph(spec, params, out);
    }

    /** A float initializer as the builder writes it (little-endian raw data) or as float_data. */
    private static float[] floats(TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            float[] values = new float[t.getRawData().size() / Float.BYTES];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        }
        float[] values = new float[t.getFloatDataCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = t.getFloatData(i);
        }
        return values;
    }
}
