package io.emostream.models.emo;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.emostream.models.card.ModelCard;
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
    @EnumSource(Head.class)
    void everyParameterIsAnInitializerUnderItsReferenceName(Head head) throws Exception {
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, head);
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
    @EnumSource(Head.class)
    void namesAndShapesFollowTheReferenceModules(Head head) {
        Map<String, ParameterSpec> specs = builder.parameterSpecs(ModelSpec.defaults(EmoArch.EMO_1M, head)).stream()
                .collect(Collectors.toMap(ParameterSpec::name, Function.identity()));
        assertShape(specs, "stage0.0.convs.0.0.weight", 24, 3, 3, 3);
        assertShape(specs, "stage0.1.se.conv_reduce.weight", 24, 24, 1, 1);
        assertShape(specs, "stage1.0.conv_local.norm.running_var", 96);
        assertFalse(specs.get("stage1.0.conv_local.norm.running_var").trainable());
        assertShape(specs, "stage3.1.qk.conv.weight", 160, 80, 1, 1);
        assertShape(specs, "stage3.1.v.conv.weight", 240, 80, 1, 1);
        assertShape(specs, "stage3.1.norm.norm.weight", 80);
        assertShape(specs, "stage4.2.conv_local.conv.weight", 588, 1, 5, 5);
        switch (head) {
            case CLASSIFIER -> {
                assertShape(specs, "norm.norm.weight", 168);
                assertShape(specs, "head.weight", 1000, 168);
            }
            case SSDLITE -> {
                assertShape(specs, "neck.extra_layers.0.0.conv.weight", 256, 168, 1, 1);
                assertShape(specs, "neck.extra_layers.3.1.pointwise_conv.bn.running_mean", 128);
                assertShape(specs, "bbox_head.cls_convs.0.0.conv.weight", 80, 1, 3, 3);
                assertShape(specs, "bbox_head.cls_convs.5.1.weight", 6 * 81, 128, 1, 1);
                assertShape(specs, "bbox_head.reg_convs.1.1.bias", 6 * 4);
            }
            case RETINANET -> {
                // as the authors' RetinaNet EMO-1M training log lists them
                assertShape(specs, "neck.lateral_convs.0.conv.weight", 256, 48, 1, 1);
                assertShape(specs, "neck.lateral_convs.2.conv.bias", 256);
                assertShape(specs, "neck.fpn_convs.2.conv.weight", 256, 256, 3, 3);
                assertShape(specs, "neck.fpn_convs.3.conv.weight", 256, 168, 3, 3);
                assertShape(specs, "neck.fpn_convs.4.conv.weight", 256, 256, 3, 3);
                assertShape(specs, "bbox_head.cls_convs.3.conv.weight", 256, 256, 3, 3);
                assertShape(specs, "bbox_head.reg_convs.0.conv.bias", 256);
                assertShape(specs, "bbox_head.retina_cls.weight", 9 * 80, 256, 3, 3);
                assertShape(specs, "bbox_head.retina_reg.bias", 9 * 4);
            }
            case DEEPLABV3 -> {
                assertShape(specs, "decode_head.image_pool.1.conv.weight", 256, 168, 1, 1);
                assertShape(specs, "decode_head.aspp_modules.3.conv.weight", 256, 168, 3, 3);
                assertShape(specs, "decode_head.bottleneck.conv.weight", 256, 1280, 3, 3);
                assertShape(specs, "decode_head.conv_seg.weight", 150, 256, 1, 1);
            }
            case PSPNET -> {
                assertShape(specs, "decode_head.psp_modules.0.1.conv.weight", 256, 168, 1, 1);
                assertShape(specs, "decode_head.psp_modules.3.1.bn.running_var", 256);
                assertShape(specs, "decode_head.bottleneck.conv.weight", 256, 168 + 4 * 256, 3, 3);
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
