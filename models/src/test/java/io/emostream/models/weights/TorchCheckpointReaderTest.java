package io.emostream.models.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.emostream.models.weights.TorchCheckpointFixture.floatBytes;
import static io.emostream.models.weights.TorchCheckpointFixture.longBytes;
import static io.emostream.models.weights.TorchCheckpointFixture.shortBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchCheckpointReaderTest {
    @TempDir
    Path dir;

    private static int[] toBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** Random bit patterns, NaN payloads, infinities and subnormals included. */
    private static float[] randomFloats(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = Float.intBitsToFloat(random.nextInt());
        }
        return values;
    }

    @Test
    void float32StateDictReadsBackBitForBit() throws IOException {
        Random random = new Random(7);
        float[] conv = randomFloats(random, 24 * 3 * 3 * 3);
        float[] bias = randomFloats(random, 24);
        float[] scalar = randomFloats(random, 1);
        Path file = new TorchCheckpointFixture()
                .floats("stem.conv.weight", conv, 24, 3, 3, 3)
                .floats("stem.conv.bias", bias, 24)
                .floats("head.scale", scalar)
                .tensor("stem.bn.num_batches_tracked", DType.INT64, longBytes(new long[]{1234}))
                .tensor("anchors.index", DType.INT64, longBytes(new long[]{-1, 0, Long.MAX_VALUE}), 3)
                .write(dir.resolve("plain.pth"), null);

        StateDict sd = TorchCheckpointReader.read(file);

        assertNull(sd.wrapperKey());
        assertEquals(List.of("stem.conv.weight", "stem.conv.bias", "head.scale", "anchors.index"),
                List.copyOf(sd.tensors().keySet()), "file order kept, num_batches_tracked left out");
        CheckpointTensor w = sd.tensors().get("stem.conv.weight");
        assertEquals(DType.FLOAT32, w.dtype());
        assertArrayEquals(new long[]{24, 3, 3, 3}, w.shape());
        assertArrayEquals(toBits(conv), toBits(w.toFloatArray()));
        assertArrayEquals(toBits(bias), toBits(sd.tensors().get("stem.conv.bias").toFloatArray()));
        assertArrayEquals(new long[0], sd.tensors().get("head.scale").shape());
        assertArrayEquals(toBits(scalar), toBits(sd.tensors().get("head.scale").toFloatArray()));
        assertArrayEquals(new long[]{-1, 0, Long.MAX_VALUE}, sd.tensors().get("anchors.index").toLongArray());
    }

    @Test
    void float16ConvertsExactly() throws IOException {
        int[] halves = {0x3E00, 0xC080, 0x7BFF, 0x0400, 0x0001, 0x83FF, 0x7C00, 0xFC00, 0x0000, 0x8000, 0x3555};
        float[] expected = {1.5f, -2.25f, 65504f, 0x1p-14f, 0x1p-24f, -1023 * 0x1p-24f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 0f, -0f, 0.333251953125f};
        Path file = new TorchCheckpointFixture()
                .tensor("w", DType.FLOAT16, shortBytes(halves), halves.length)
                .tensor("nan", DType.FLOAT16, shortBytes(new int[]{0x7E00}), 1)
                .write(dir.resolve("half.pth"), null);

        StateDict sd = TorchCheckpointReader.read(file);

        assertEquals(DType.FLOAT16, sd.tensors().get("w").dtype());
        assertArrayEquals(toBits(expected), toBits(sd.tensors().get("w").toFloatArray()));
        assertTrue(Float.isNaN(sd.tensors().get("nan").toFloatArray()[0]));
    }

    @Test
    void bfloat16ConvertsExactly() throws IOException {
        int[] bf16 = {0x3FC0, 0xC040, 0x7F80, 0x0001, 0x8000, 0x4049};
        float[] expected = {1.5f, -3f, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x00010000), -0f, 3.140625f};
        Path file = new TorchCheckpointFixture()
                .tensor("w", DType.BFLOAT16, shortBytes(bf16), 2, 3)
                .write(dir.resolve("bf16.pth"), null);

        CheckpointTensor t = TorchCheckpointReader.read(file).tensors().get("w");

        assertEquals(DType.BFLOAT16, t.dtype());
        assertArrayEquals(new long[]{2, 3}, t.shape());
        assertArrayEquals(toBits(expected), toBits(t.toFloatArray()));
    }

    @Test
    void stridedViewsAreGatheredInRowMajorOrder() throws IOException {
        // storage: a 3x4 matrix 0..11, row-major
        float[] matrix = new float[12];
        for (int i = 0; i < 12; i++) {
            matrix[i] = i;
        }
        TorchCheckpointFixture fixture = new TorchCheckpointFixture();
        String key = fixture.storage(DType.FLOAT32, floatBytes(matrix));
        fixture.view("transposed", key, 0, new long[]{4, 3}, new long[]{1, 4})
                .view("column2", key, 2, new long[]{3}, new long[]{4})
                .view("row1", key, 4, new long[]{4}, new long[]{1})
                .view("whole", key, 0, new long[]{3, 4}, new long[]{4, 1})
                .view("broadcast", key, 5, new long[]{2, 2}, new long[]{0, 1});
        Path file = fixture.write(dir.resolve("views.pth"), null);

        Map<String, CheckpointTensor> t = TorchCheckpointReader.read(file).tensors();

        assertArrayEquals(new float[]{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, t.get("transposed").toFloatArray());
        assertArrayEquals(new float[]{2, 6, 10}, t.get("column2").toFloatArray());
        assertArrayEquals(new float[]{4, 5, 6, 7}, t.get("row1").toFloatArray());
        assertArrayEquals(matrix, t.get("whole").toFloatArray());
        assertArrayEquals(new float[]{5, 6, 5, 6}, t.get("broadcast").toFloatArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"state_dict", "net", "net_E", "model"})
    void stateDictIsFoundUnderTrainingWrapperKeys(String wrapperKey) throws IOException {
        float[] values = {1f, 2f, 3f};
        Path file = new TorchCheckpointFixture()
                .floats("module.backbone.stage1.0.norm.weight", values, 3)
                .write(dir.resolve("wrapped.pth"), wrapperKey);

        StateDict sd = TorchCheckpointReader.read(file);

        assertEquals(wrapperKey, sd.wrapperKey());
        assertEquals(List.of("backbone.stage1.0.norm.weight"), List.copyOf(sd.tensors().keySet()),
                "leading module. is stripped");
        assertArrayEquals(values, sd.tensors().get("backbone.stage1.0.norm.weight").toFloatArray());
    }

    @Test
    void untypedStoragesWithDtypeArgumentAreRead() throws IOException {
        int[] halves = {0x3C00, 0xBC00, 0x4000};
        Path file = new TorchCheckpointFixture().untypedStorages()
                .tensor("h", DType.FLOAT16, shortBytes(halves), 3)
                .floats("f", new float[]{0.5f, -8f}, 2, 1)
                .write(dir.resolve("untyped.pth"), null);

        Map<String, CheckpointTensor> t = TorchCheckpointReader.read(file).tensors();

        assertArrayEquals(new float[]{1f, -1f, 2f}, t.get("h").toFloatArray());
        assertArrayEquals(new long[]{2, 1}, t.get("f").shape());
        assertArrayEquals(new float[]{0.5f, -8f}, t.get("f").toFloatArray());
    }

    @Test
    void parameterWrappedTensorsAreRead() throws IOException {
        PickleWriter w = new PickleWriter().proto().emptyDict().string("p")
                .global("torch._utils", "_rebuild_parameter")
                .global("torch._utils", "_rebuild_tensor_v2")
                .mark().mark().string("storage").global("torch", "FloatStorage").string("0").string("cpu")
                .integer(2).tuple().persistentId().integer(0).ints(2).ints(1).bool(false)
                .global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce()
                .bool(true).global("collections", "OrderedDict").emptyTuple().reduce().op(0x87).reduce()
                .setItem().stop();
        Path file = TorchCheckpointFixture.writeZip(dir.resolve("param.pth"), w.bytes(),
                Map.of("0", floatBytes(new float[]{3f, 4f})));

        assertArrayEquals(new float[]{3f, 4f}, TorchCheckpointReader.read(file).tensors().get("p").toFloatArray());
    }

    // ---- untrusted input

    /** A checkpoint archive holding {@code pickle} and no storages. */
    private Path pickleOnly(String name, byte[] pickle) throws IOException {
        return TorchCheckpointFixture.writeZip(dir.resolve(name), pickle, Map.of());
    }

    /** The message reading {@code file} under {@code limits} is refused with. */
    private static String refusal(Path file, CheckpointLimits limits) {
        return assertThrows(InvalidCheckpointException.class, () -> TorchCheckpointReader.read(file, limits))
                .getMessage();
    }

    private static void assertRefused(Path file, CheckpointLimits limits, String expected) {
        String message = refusal(file, limits);
        assertTrue(message.contains(expected), message);
    }

    private static void assertRefused(Path file, String expected) {
        assertRefused(file, CheckpointLimits.DEFAULT, expected);
    }

    /** A pickle that would run {@code command} under Python's pickle: GLOBAL module.name, ('command',), REDUCE. */
    private Path reducePickle(String module, String name, String command, boolean stackGlobal) throws IOException {
        PickleWriter w = new PickleWriter().proto();
        if (stackGlobal) {
            w.stackGlobal(module, name);
        } else {
            w.global(module, name);
        }
        w.string(command).op(0x85).reduce().stop();
        return pickleOnly(module + "-" + name + ".pth", w.bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"os.system", "posix.system", "builtins.eval", "subprocess.Popen", "torch.load"})
    void globalOutsideTheAllowListIsRefusedWithoutRunningIt(String global) throws IOException {
        Path marker = dir.resolve("pwned");
        String module = global.substring(0, global.indexOf('.'));
        String name = global.substring(global.indexOf('.') + 1);
        for (boolean stackGlobal : new boolean[]{false, true}) {
            Path file = reducePickle(module, name, "touch " + marker, stackGlobal);

            String message = refusal(file, CheckpointLimits.DEFAULT);

            assertTrue(message.contains("'" + global + "'"), message);
            assertTrue(message.contains("refused"), message);
            assertFalse(Files.exists(marker));
        }
    }

    @Test
    void allowedGlobalThatIsNotCallableIsRefused() throws IOException {
        byte[] pickle = new PickleWriter().proto().global("torch", "FloatStorage").emptyTuple().reduce().stop().bytes();
        Path file = pickleOnly("storage-call.pth", pickle);

        assertRefused(file, "torch.FloatStorage cannot be called");
    }

    @ParameterizedTest
    @CsvSource({"_rebuild_tensor_v2, 6, a typed storage", "_rebuild_tensor_v3, 7, a storage",
            "_rebuild_parameter, 3, a tensor"})
    void aRebuildCalledOnSomethingElseIsRefusedSayingWhatItNeeds(String function, int arity, String needed)
            throws IOException {
        PickleWriter w = new PickleWriter().proto().global("torch._utils", function).mark().string("x");
        for (int i = 1; i < arity; i++) {
            w.integer(0);
        }
        Path file = pickleOnly(function + ".pth", w.tuple().reduce().stop().bytes());

        assertRefused(file, "torch._utils." + function + " needs " + needed + ", got 'x'");
    }

    @Test
    void instantiatingOpcodesAreRefused() throws IOException {
        // NEWOBJ (cls.__new__) and INST (call a class named inline) create objects: never allowed
        byte[] newobj = new PickleWriter().proto().global("collections", "OrderedDict").emptyTuple().op(0x81)
                .stop().bytes();
        byte[] inst = new PickleWriter().proto().mark().op('i').text("os\nsystem\n").stop().bytes();
        for (byte[] pickle : List.of(newobj, inst)) {
            Path file = pickleOnly("obj.pth", pickle);
            assertRefused(file, "is not allowed in a state_dict checkpoint");
        }
    }

    @Test
    void truncatedArchiveIsRefusedCleanly() throws IOException {
        Path good = new TorchCheckpointFixture().floats("w", new float[64], 64).write(dir.resolve("good.pth"), null);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.pth"), Arrays.copyOf(bytes, bytes.length / 2));

        assertRefused(cut, "not a readable zip archive");
    }

    @Test
    void storageDeclaringMoreBytesThanItsEntryIsRefusedBeforeAllocating() throws IOException {
        byte[] pickle = new PickleWriter().proto().emptyDict().string("w")
                .global("torch._utils", "_rebuild_tensor_v2")
                .mark().mark().string("storage").global("torch", "FloatStorage").string("0").string("cpu")
                .integer(1L << 40).tuple().persistentId().integer(0).ints(1L << 40).ints(1).bool(false)
                .global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce()
                .setItem().stop().bytes();
        Path file = TorchCheckpointFixture.writeZip(dir.resolve("huge.pth"), pickle, Map.of("0", new byte[16]));

        assertRefused(file, "exceeds the");
    }

    @Test
    void viewReachingPastItsStorageIsRefused() throws IOException {
        TorchCheckpointFixture fixture = new TorchCheckpointFixture();
        String key = fixture.storage(DType.FLOAT32, floatBytes(new float[6]));
        Path file = fixture.view("w", key, 2, new long[]{2, 3}, new long[]{3, 1}).write(dir.resolve("past.pth"), null);

        assertRefused(file, "reaches element 7 of storage '0', which holds 6");
    }

    @Test
    void storageEntryShorterThanDeclaredIsRefused() throws IOException {
        byte[] pickle = new TorchCheckpointFixture().floats("w", new float[8], 8).pickle(null);
        Path file = TorchCheckpointFixture.writeZip(dir.resolve("short.pth"), pickle, Map.of("0", new byte[12]));

        assertRefused(file, "declared with 32 bytes but its entry holds 12");
    }

    @Test
    void hugeDeclaredStringIsRefusedBeforeAllocating() throws IOException {
        byte[] pickle = new PickleWriter().proto().op('X').le(0x7ffffff0L, 4).op('a', 'b').stop().bytes();
        Path file = pickleOnly("string.pth", pickle);

        assertRefused(file, "declares a 2147483632-byte value");
    }

    @Test
    void totalBytesBeyondTheLimitAreRefused() throws IOException {
        Path file = new TorchCheckpointFixture()
                .floats("a", new float[20], 20)
                .floats("b", new float[20], 20)
                .write(dir.resolve("total.pth"), null);

        assertRefused(file, CheckpointLimits.DEFAULT.withMaxTotalBytes(120), "more than the 120-byte limit");
        assertEquals(2, TorchCheckpointReader.read(file, CheckpointLimits.DEFAULT.withMaxTotalBytes(160))
                .tensors().size());
    }

    @Test
    void deeplyNestedMarksAreBounded() throws IOException {
        PickleWriter w = new PickleWriter().proto();
        for (int i = 0; i < 5000; i++) {
            w.mark();
        }
        Path file = pickleOnly("marks.pth", w.stop().bytes());
        CheckpointLimits limits = new CheckpointLimits(1 << 20, 1 << 10, 100, 1000, 10_000, 8, 1 << 20, 1 << 20);

        assertRefused(file, limits, "pickle stack deeper than 1000");
    }

    @Test
    void memoReadOfAnUnsetEntryIsRefused() throws IOException {
        Path file = pickleOnly("memo.pth", new PickleWriter().proto().get(9).stop().bytes());

        assertRefused(file, "memo entry 9");
    }

    @Test
    void listAsDictKeyIsRefused() throws IOException {
        Path file = pickleOnly("key.pth",
                new PickleWriter().proto().emptyDict().emptyList().integer(1).setItem().stop().bytes());

        assertRefused(file, "dict key a list is not allowed");
    }

    @Test
    void checkpointWithoutStateDictNamesItsTopLevelKeys() throws IOException {
        Path file = pickleOnly("nosd.pth", new PickleWriter().proto().emptyDict()
                .string("epoch").integer(3).setItem().stop().bytes());

        String message = refusal(file, CheckpointLimits.DEFAULT);
        assertTrue(message.contains("no state_dict") && message.contains("'epoch'"), message);
    }

    @Test
    void legacyFormatGetsAnExplicitMessage() throws IOException {
        Path file = Files.write(dir.resolve("legacy.pth"), new byte[]{(byte) 0x80, 2, (byte) 0x8a, 10, 0, 0});

        assertRefused(file, "legacy format");
    }
}
