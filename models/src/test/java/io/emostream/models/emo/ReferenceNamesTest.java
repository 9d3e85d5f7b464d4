package io.emostream.models.emo;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.emostream.models.card.ModelCard;
import io.emostream.models.card.ModelCard.Task;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every parameter is an initializer of the written graph under its reference name and shape, so weights map by name. */
class ReferenceNamesTest {
    private final EmoModelBuilder builder = new EmoModelBuilder();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Task.class)
    void everyParameterIsAnInitializerUnderItsReferenceName(Task task) throws Exception {
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, task);
        BuiltModel model = builder.build(spec, builder.initialise(spec, 3), ModelCard.WeightsProvenance.seeded(3), dir);
        ModelProto proto;
        try (InputStream in = Files.newInputStream(model.onnxFile())) {
            proto = ModelProto.parseFrom(in);
        }
        Map<String, TensorProto> initializers = proto.getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(TensorProto::getName, Function.identity()));
        List<ParameterSpec> specs = builder.parameterSpecs(spec);
        for (ParameterSpec p : specs) {
            TensorProto t = initializers.get(p.name());
            assertTrue(t != null, "missing initializer " + p.name());
            assertArrayEquals(p.shape(), t.getDimsList().stream().mapToLong(Long::longValue).toArray(), p.name());
        }
        assertEquals(specs.size(), specs.stream().map(ParameterSpec::name).distinct().count(), "names are unique");
        assertFalse(specs.stream().anyMatch(p -> p.name().startsWith("backbone.")), "no prefix on backbone names");
    }

    @ParameterizedTest
    @EnumSource(Task.class)
    void namesAndShapesFollowTheReferenceModules(Task task) {
        Map<String, ParameterSpec> specs = builder.parameterSpecs(ModelSpec.defaults(EmoArch.EMO_1M, task)).stream()
                .collect(Collectors.toMap(ParameterSpec::name, Function.identity()));
        assertShape(specs, "stage0.0.convs.0.0.weight", 24, 3, 3, 3);
        assertShape(specs, "stage0.1.se.conv_reduce.weight", 24, 24, 1, 1);
        assertShape(specs, "stage1.0.conv_local.norm.running_var", 96);
        assertFalse(specs.get("stage1.0.conv_local.norm.running_var").trainable());
        assertShape(specs, "stage3.1.qk.conv.weight", 160, 80, 1, 1);
        assertShape(specs, "stage3.1.v.conv.weight", 240, 80, 1, 1);
        assertShape(specs, "stage3.1.norm.norm.weight", 80);
        assertShape(specs, "stage4.2.conv_local.conv.weight", 588, 1, 5, 5);
        switch (task) {
            case CLASSIFICATION -> {
                assertShape(specs, "norm.norm.weight", 168);
                assertShape(specs, "head.weight", 1000, 168);
            }
            case DETECTION -> {
                assertShape(specs, "neck.extra_layers.0.0.conv.weight", 256, 168, 1, 1);
                assertShape(specs, "neck.extra_layers.3.1.pointwise_conv.bn.running_mean", 128);
                assertShape(specs, "bbox_head.cls_convs.0.0.conv.weight", 80, 1, 3, 3);
                assertShape(specs, "bbox_head.cls_convs.5.1.weight", 6 * 81, 128, 1, 1);
                assertShape(specs, "bbox_head.reg_convs.1.1.bias", 6 * 4);
            }
            case SEGMENTATION -> {
                assertShape(specs, "decode_head.image_pool.1.conv.weight", 256, 168, 1, 1);
                assertShape(specs, "decode_head.aspp_modules.3.conv.weight", 256, 168, 3, 3);
                assertShape(specs, "decode_head.bottleneck.conv.weight", 256, 1280, 3, 3);
                assertShape(specs, "decode_head.conv_seg.weight", 150, 256, 1, 1);
            }
        }
    }

    private static void assertShape(Map<String, ParameterSpec> specs, String name, long... shape) {
        ParameterSpec p = specs.get(name);
        assertTrue(p != null, "no parameter " + name + "; have e.g. " + specs.keySet().stream().limit(5).toList());
        assertEquals(Arrays.toString(shape), Arrays.toString(p.shape()), name);
    }
}
