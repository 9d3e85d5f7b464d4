package io.emostream.models.weights;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test side: builds a checkpoint in the layout {@code torch.save} writes (PyTorch >= 1.6) from Java data, with its
 * own pickle bytes: an OrderedDict of {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}
 * calls over persistent storage ids, with the {@code _metadata} BUILD torch adds, optionally inside a
 * wrapper dict with {@code meta} and {@code optimizer} entries beside it.
 */
final class TorchCheckpointFixture {
    private record Storage(DType dtype, byte[] bytes) { }

    private record View(String name, String storageKey, long offset, long[] shape, long[] stride) { }

    private final Map<String, Storage> storages = new LinkedHashMap<>();
    private final List<View> views = new ArrayList<>();
    private boolean untypedStorages;

    /** Newer PyTorch form: {@code torch.UntypedStorage} ids and {@code _rebuild_tensor_v3(..., dtype)}. */
    TorchCheckpointFixture untypedStorages() {
        untypedStorages = true;
        return this;
    }

    String storage(DType dtype, byte[] littleEndian) {
        String key = String.valueOf(storages.size());
        storages.put(key, new Storage(dtype, littleEndian));
        return key;
    }

    TorchCheckpointFixture view(String name, String storageKey, long offset, long[] shape, long[] stride) {
        views.add(new View(name, storageKey, offset, shape, stride));
        return this;
    }

    TorchCheckpointFixture tensor(String name, DType dtype, byte[] littleEndian, long... shape) {
        return view(name, storage(dtype, littleEndian), 0, shape, contiguousStrides(shape));
    }

    TorchCheckpointFixture floats(String name, float[] values, long... shape) {
        return tensor(name, DType.FLOAT32, floatBytes(values), shape);
    }

    static long[] contiguousStrides(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= shape[d];
        }
        return stride;
    }

    static byte[] floatBytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] shortBytes(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    static byte[] longBytes(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    /** @param wrapperKey null for a plain state_dict, else the key it is stored under beside meta and optimizer */
    byte[] pickle(String wrapperKey) {
        PickleWriter w = new PickleWriter().proto();
        if (wrapperKey != null) {
            w.emptyDict().put(0).mark();
            w.string("meta").emptyDict().mark()
                    .string("epoch").integer(12)
                    .string("lr").floating(0.0125)
                    .string("CLASSES").string("person").string("car").op(0x86)
                    .string("seed").op('N')
                    .setItems();
            w.string(wrapperKey);
        }
        stateDict(w);
        if (wrapperKey != null) {
            w.string("optimizer").emptyDict().mark()
                    .string("param_groups").emptyList().mark().emptyDict().string("lr").floating(0.1).setItem()
                    .appends()
                    .setItems();
            w.setItems();
        }
        return w.stop().bytes();
    }

    private void stateDict(PickleWriter w) {
        w.global("collections", "OrderedDict").put(1).emptyTuple().reduce().put(2).mark();
        boolean first = true;
        for (View v : views) {
            Storage s = storages.get(v.storageKey());
            w.string(v.name());
            if (first) {
                w.global("torch._utils", untypedStorages ? "_rebuild_tensor_v3" : "_rebuild_tensor_v2").put(3);
                first = false;
            } else {
                w.get(3);
            }
            w.mark().mark().string("storage");
            if (untypedStorages) {
                w.global("torch", "UntypedStorage").string(v.storageKey()).string("cpu").integer(s.bytes().length);
            } else {
                w.global("torch", s.dtype().storageClass()).string(v.storageKey()).string("cpu")
                        .integer(s.bytes().length / s.dtype().byteSize());
            }
            w.tuple().persistentId()
                    .integer(v.offset()).ints(v.shape()).ints(v.stride()).bool(false)
                    .get(1).emptyTuple().reduce();
            if (untypedStorages) {
                w.global("torch", s.dtype().dtypeName());
            }
            w.tuple().reduce();
        }
        w.setItems();
        // torch pickles the state_dict's _metadata attribute with BUILD
        w.emptyDict().string("_metadata").get(1).emptyTuple().reduce().setItem().build();
    }

    Path write(Path file, String wrapperKey) throws IOException {
        writeZip(file, pickle(wrapperKey), storageBytes());
        return file;
    }

    /** The {@code data/<key>} entries of the archive. */
    Map<String, byte[]> storageBytes() {
        Map<String, byte[]> data = new LinkedHashMap<>();
        storages.forEach((key, s) -> data.put(key, s.bytes()));
        return data;
    }

    /** A little of everything the reader handles: float32, float16, an int64 counter, a strided view. */
    static TorchCheckpointFixture mixed() {
        TorchCheckpointFixture f = new TorchCheckpointFixture()
                .floats("stage1.0.norm.weight", new float[]{1, 2, 3, 4}, 4)
                .tensor("stage1.0.norm.bias", DType.FLOAT16, shortBytes(new int[]{1, 2}), 2)
                .tensor("stage1.0.norm.num_batches_tracked", DType.INT64, longBytes(new long[]{7}));
        String key = f.storage(DType.FLOAT32, floatBytes(new float[12]));
        return f.view("head.weight", key, 1, new long[]{3, 2}, new long[]{1, 3});
    }

    /** The torch zip layout: {@code archive/data.pkl}, {@code archive/data/<key>}, byteorder and version records. */
    static Path writeZip(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        String archive = "archive/";
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            stored(zip, archive + "data.pkl", pickle);
            stored(zip, archive + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                stored(zip, archive + "data/" + e.getKey(), e.getValue());
            }
            stored(zip, archive + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }
}
