package io.emostream.models.weights;

import ai.onnx.proto.OnnxMl;
import io.emostream.models.card.ModelCard;
import io.emostream.models.card.ModelCard.Task;
import io.emostream.models.emo.BuiltModel;
import io.emostream.models.emo.EmoArch;
import io.emostream.models.emo.EmoModelBuilder;
import io.emostream.models.emo.Head;
import io.emostream.models.emo.ModelSpec;
import io.emostream.models.emo.ParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightImporterTest {
    private static final EmoModelBuilder BUILDER = new EmoModelBuilder();

    @TempDir
    Path dir;

    private static boolean isBackbone(String name) {
        return name.startsWith("stage");
    }

    /** The checkpoint key mmdet/mmseg would save a graph parameter under. */
    private static String mmKey(String name) {
        return isBackbone(name) ? "backbone." + name : name;
    }

    private static int elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return (int) n;
    }

    private static Map<String, int[]> initializerBits(Path onnx) throws IOException {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
        Map<String, int[]> bits = new HashMap<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
                continue;
            }
            int[] values;
            if (!t.getRawData().isEmpty()) {
                ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                values = new int[raw.remaining() / 4];
                for (int i = 0; i < values.length; i++) {
                    values[i] = raw.getInt(4 * i);
                }
            } else {
                values = t.getFloatDataList().stream().mapToInt(Float::floatToRawIntBits).toArray();
            }
            bits.put(t.getName(), values);
            assertEquals(elements(t.getDimsList().stream().mapToLong(Long::longValue).toArray()), values.length,
                    t.getName());
        }
        return bits;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /**
     * mmdetection and mmsegmentation checkpoints as torch.save writes them (DataParallel's {@code module.}, the
     * {@code backbone.} prefix, BatchNorm counters); the PSPNet one also holds the training-only auxiliary FCN head on
     * stage 3, under the authors' names, which the import leaves out.
     */
    @ParameterizedTest
    @EnumSource(value = Head.class, names = {"SSDLITE", "RETINANET", "PSPNET"})
    void downstreamCheckpointLandsInTheOnnxInitializersBitForBit(Head head) throws Exception {
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, head).withInputSize(128);
        List<ParameterSpec> params = BUILDER.parameterSpecs(spec);
        Random random = new Random(11);
        Map<String, float[]> values = new LinkedHashMap<>();
        TorchCheckpointFixture fixture = new TorchCheckpointFixture();
        for (ParameterSpec p : params) {
            float[] v = new float[elements(p.shape())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            values.put(p.name(), v);
            fixture.floats("module." + mmKey(p.name()), v, p.shape());
        }
        fixture.tensor("module.backbone.stage1.0.conv_local.norm.num_batches_tracked", DType.INT64,
                TorchCheckpointFixture.longBytes(new long[]{5000}));
        if (head == Head.PSPNET) {
            fixture.floats("module.auxiliary_head.convs.0.conv.weight", new float[256 * 80 * 9], 256, 80, 3, 3)
                    .floats("module.auxiliary_head.convs.0.bn.weight", new float[256], 256)
                    .floats("module.auxiliary_head.conv_seg.weight", new float[150 * 256], 150, 256, 1, 1)
                    .floats("module.auxiliary_head.conv_seg.bias", new float[150], 150);
        }
        Path file = fixture.write(dir.resolve("emo1m_" + head.id() + ".pth"), "state_dict");

        Checkpoint checkpoint = Checkpoint.read(file);
        assertEquals(java.util.Optional.of(head), StateDictMatcher.head(checkpoint.stateDict()));
        assertEquals(head == Head.PSPNET ? 4 : 0, StateDictMatcher.trainingOnly(checkpoint.stateDict()).size());
        BuiltModel built = new WeightImporter(BUILDER).importInto(checkpoint, spec, dir.resolve("out"));

        Map<String, int[]> initializers = initializerBits(built.onnxFile());
        for (ParameterSpec p : params) {
            int[] expected = new int[values.get(p.name()).length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = Float.floatToRawIntBits(values.get(p.name())[i]);
            }
            assertArrayEquals(expected, initializers.get(p.name()), p.name());
        }
        assertTrue(initializers.keySet().stream().noneMatch(n -> n.startsWith("auxiliary_head")));
        ModelCard card = ModelCard.read(built.cardFile());
        assertFalse(card.untrained());
        assertEquals("checkpoint", card.weights().source());
        assertEquals("emo1m_" + head.id() + ".pth", card.weights().checkpoint());
        assertEquals(sha256(file), card.weights().sha256());
        assertEquals(sha256(built.onnxFile()), card.onnxSha256(), "the card pins the ONNX file it was written with");
    }

    @Test
    void float16ClassificationCheckpointIsWidenedExactly() throws Exception {
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, Task.CLASSIFICATION);
        Random random = new Random(3);
        Map<String, float[]> expected = new LinkedHashMap<>();
        TorchCheckpointFixture fixture = new TorchCheckpointFixture();
        for (ParameterSpec p : BUILDER.parameterSpecs(spec)) {
            int n = elements(p.shape());
            int[] halves = new int[n];
            float[] widened = new float[n];
            for (int i = 0; i < n; i++) {
                int sign = random.nextInt(2);
                int exponent = 1 + random.nextInt(30); // normal halves
                int mantissa = random.nextInt(1024);
                halves[i] = sign << 15 | exponent << 10 | mantissa;
                widened[i] = (sign == 1 ? -1 : 1) * Math.scalb((float) (1024 + mantissa), exponent - 25);
            }
            expected.put(p.name(), widened);
            fixture.tensor(p.name(), DType.FLOAT16, TorchCheckpointFixture.shortBytes(halves), p.shape());
        }
        Path file = fixture.write(dir.resolve("emo_1m_half.pth"), "net");

        BuiltModel built = new WeightImporter(BUILDER).importInto(Checkpoint.read(file), spec, dir.resolve("out"));

        Map<String, int[]> initializers = initializerBits(built.onnxFile());
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
            int[] bits = new int[e.getValue().length];
            for (int i = 0; i < bits.length; i++) {
                bits[i] = Float.floatToRawIntBits(e.getValue()[i]);
            }
            assertArrayEquals(bits, initializers.get(e.getKey()), e.getKey());
        }
        assertTrue(built.card().weights().description().contains("['net']"));
    }

    @Test
    void missingAndUnexpectedTensorsAreListedByNameAndNothingIsWritten() throws IOException {
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, Task.CLASSIFICATION);
        List<ParameterSpec> params = BUILDER.parameterSpecs(spec);
        TorchCheckpointFixture fixture = new TorchCheckpointFixture();
        for (ParameterSpec p : params) {
            if (!p.name().equals("stage3.1.qk.conv.weight") && !p.name().equals("head.bias")) {
                fixture.floats(p.name(), new float[elements(p.shape())], p.shape());
            }
        }
        fixture.floats("stage3.1.qk.conv.weights", new float[4], 4);
        Path file = fixture.write(dir.resolve("typo.pth"), null);
        Path out = dir.resolve("out");

        WeightMismatchException e = assertThrows(WeightMismatchException.class,
                () -> new WeightImporter(BUILDER).importInto(Checkpoint.read(file), spec, out));

        assertEquals(List.of("stage3.1.qk.conv.weight", "head.bias"), e.missing());
        assertEquals(List.of("stage3.1.qk.conv.weights"), e.unexpected());
        assertTrue(e.getMessage().contains("typo.pth does not fit the graph: 2 missing"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void checkpointOfAnotherSizeIsNamedInTheMessage() throws IOException {
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_2M, Task.DETECTION);
        TorchCheckpointFixture fixture = new TorchCheckpointFixture();
        for (ParameterSpec p : BUILDER.parameterSpecs(spec)) {
            fixture.floats(mmKey(p.name()), new float[elements(p.shape())], p.shape());
        }
        Path file = fixture.write(dir.resolve("emo2m.pth"), "state_dict");

        WeightMismatchException e = assertThrows(WeightMismatchException.class, () -> new WeightImporter(BUILDER)
                .importInto(Checkpoint.read(file), ModelSpec.defaults(EmoArch.EMO_1M, Task.DETECTION), dir));

        assertTrue(e.unexpected().contains("backbone.stage3.8.proj.conv.weight"), e.unexpected().toString());
        assertTrue(e.getMessage().endsWith("; it holds emo-2m weights (--arch emo-2m)"), e.getMessage());
    }
}
