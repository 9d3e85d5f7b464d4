package io.emostream.models.weights;

import io.emostream.models.emo.Head;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDictMatcherTest {
    @TempDir
    Path dir;

    private static Map<String, long[]> graph() {
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("stage1.0.conv_local.conv.weight", new long[]{4, 1, 3, 3});
        expected.put("stage1.0.conv_local.norm.running_var", new long[]{4});
        expected.put("decode_head.conv_seg.weight", new long[]{3, 4, 1, 1});
        expected.put("decode_head.conv_seg.bias", new long[]{3});
        return expected;
    }

    private static float[] ramp(int n, float start) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i;
        }
        return v;
    }

    @Test
    void backbonePrefixIsDroppedAndAuxiliaryHeadIgnored() throws IOException {
        StateDict sd = TorchCheckpointReader.read(new TorchCheckpointFixture()
                .floats("backbone.stage1.0.conv_local.conv.weight", ramp(36, 0), 4, 1, 3, 3)
                .floats("backbone.stage1.0.conv_local.norm.running_var", ramp(4, 100), 4)
                .floats("decode_head.conv_seg.weight", ramp(12, 200), 3, 4, 1, 1)
                .floats("decode_head.conv_seg.bias", ramp(3, 300), 3)
                .floats("auxiliary_head.conv_seg.weight", ramp(6, 400), 3, 2, 1, 1)
                .write(dir.resolve("seg.pth"), "state_dict"));

        Map<String, float[]> values = StateDictMatcher.match(sd, graph(), "seg.pth");
        assertEquals(List.of("auxiliary_head.conv_seg.weight"), StateDictMatcher.trainingOnly(sd));

        assertEquals(List.copyOf(graph().keySet()), List.copyOf(values.keySet()));
        assertArrayEquals(ramp(36, 0), values.get("stage1.0.conv_local.conv.weight"));
        assertArrayEquals(ramp(4, 100), values.get("stage1.0.conv_local.norm.running_var"));
        assertArrayEquals(ramp(3, 300), values.get("decode_head.conv_seg.bias"));
        assertEquals(OptionalInt.of(3), StateDictMatcher.classes(sd, Head.DEEPLABV3));
    }

    @Test
    void mismatchListsMissingUnexpectedAndMisshapenTensorsByName() throws IOException {
        StateDict sd = TorchCheckpointReader.read(new TorchCheckpointFixture()
                .floats("backbone.stage1.0.conv_local.conv.weight", ramp(36, 0), 4, 9)
                .floats("decode_head.conv_seg.weight", ramp(20, 200), 5, 4, 1, 1)
                .floats("decode_head.conv_seg.bias", ramp(5, 300), 5)
                .floats("backbone.stage9.extra.weight", ramp(2, 0), 2)
                .write(dir.resolve("bad.pth"), null));

        WeightMismatchException e = assertThrows(WeightMismatchException.class,
                () -> StateDictMatcher.match(sd, graph(), "bad.pth"));

        assertEquals(List.of("stage1.0.conv_local.norm.running_var"), e.missing());
        assertEquals(List.of("backbone.stage9.extra.weight"), e.unexpected());
        assertEquals(List.of(
                "stage1.0.conv_local.conv.weight: checkpoint float32[4, 9], graph [4, 1, 3, 3]",
                "decode_head.conv_seg.weight: checkpoint float32[5, 4, 1, 1], graph [3, 4, 1, 1]",
                "decode_head.conv_seg.bias: checkpoint float32[5], graph [3]"), e.wrongShape());
        assertTrue(e.getMessage().startsWith("bad.pth does not fit the graph: 1 missing"
                + " [stage1.0.conv_local.norm.running_var] 1 unexpected [backbone.stage9.extra.weight]"),
                e.getMessage());
        assertEquals("its head has 5 classes, not 3 (--classes 5)", StateDictMatcher.hint(sd, Head.DEEPLABV3, 3));
        assertTrue(e.withHint("a hint").getMessage().endsWith("graph [3]]; a hint"), e.withHint("a hint").getMessage());
    }

    /**
     * A detection checkpoint holding only its class conv of 80 classes: SSDLite's has 6 anchors x (80 + background)
     * outputs, RetinaNet's 9 anchors x 80.
     */
    @ParameterizedTest(name = "{0} trained a {2} head: asked for {3}, it looks like {5}")
    @CsvSource(delimiter = '|', textBlock = """
            bbox_head.cls_convs.0.1.weight | 486 | SSDLITE   | DEEPLABV3 | 3  | a detection checkpoint (--task detection)
            bbox_head.retina_cls.weight    | 720 | RETINANET | SSDLITE   | 80 | a RetinaNet checkpoint (--head retinanet)
            """)
    void hintNamesTheTaskOrHeadTheCheckpointWasTrainedFor(String classConv, int outputs, Head trained, Head asked,
                                                          int askedClasses, String hint) throws IOException {
        StateDict sd = TorchCheckpointReader.read(new TorchCheckpointFixture()
                .floats(classConv, ramp(outputs * 2, 0), outputs, 2, 1, 1)
                .write(dir.resolve("det.pth"), "state_dict"));

        assertEquals(Optional.of(trained), StateDictMatcher.head(sd));
        assertEquals("it looks like " + hint, StateDictMatcher.hint(sd, asked, askedClasses));
        assertEquals(OptionalInt.of(80), StateDictMatcher.classes(sd, trained));
    }

    @Test
    void integerTensorForAFloatParameterIsReported() throws IOException {
        StateDict sd = TorchCheckpointReader.read(new TorchCheckpointFixture()
                .floats("stage1.0.conv_local.conv.weight", ramp(36, 0), 4, 1, 3, 3)
                .tensor("stage1.0.conv_local.norm.running_var", DType.INT64,
                        TorchCheckpointFixture.longBytes(new long[]{1, 2, 3, 4}), 4)
                .floats("decode_head.conv_seg.weight", ramp(12, 200), 3, 4, 1, 1)
                .floats("decode_head.conv_seg.bias", ramp(3, 300), 3)
                .write(dir.resolve("int.pth"), null));

        WeightMismatchException e = assertThrows(WeightMismatchException.class,
                () -> StateDictMatcher.match(sd, graph(), "int.pth"));
        assertEquals(List.of("stage1.0.conv_local.norm.running_var: checkpoint int64[4], graph [4]"),
                e.wrongShape());
    }
}
