package io.emostream.models.weights;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the state_dict of a PyTorch checkpoint in the zip layout {@code torch.save} has written since PyTorch 1.6:
 * {@code <archive>/data.pkl} (the pickled dict, tensors as persistent ids), {@code <archive>/data/<key>} (raw
 * little-endian storages), {@code <archive>/byteorder}. The pickle runs on {@link RestrictedUnpickler}, so a
 * checkpoint can neither execute code nor make the reader allocate beyond {@link CheckpointLimits}. Only tensors of
 * the state_dict are read from the archive; optimizer state and the like stay on disk.
 */
public final class TorchCheckpointReader {
    /** Where training scripts put the state_dict, tried in this order (mmdet/mmseg, the EMO repository, others). */
    public static final List<String> WRAPPER_KEYS = List.of("state_dict", "net", "net_E", "model");

    private static final String DATA_PARALLEL_PREFIX = "module.";
    private static final String BATCH_COUNTER = "num_batches_tracked";

    private TorchCheckpointReader() { }

    public static StateDict read(Path file) throws IOException {
        return read(file, CheckpointLimits.DEFAULT);
    }

    public static StateDict read(Path file, CheckpointLimits limits) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidCheckpointException("checkpoint " + file + " does not exist or is not a file");
        }
        try (ZipFile zip = open(file)) {
            String prefix = archivePrefix(zip);
            checkByteOrder(zip, prefix);
            byte[] pickle = readEntry(zip, prefix + "data.pkl", limits.maxPickleBytes());
            Object root = RestrictedUnpickler.load(pickle, limits);
            String wrapperKey = wrapperKey(root);
            Map<?, ?> dict = (Map<?, ?>) (wrapperKey == null ? root : ((Map<?, ?>) root).get(wrapperKey));
            return new StateDict(materialise(zip, prefix, tensorRefs(dict), limits), wrapperKey);
        } catch (ZipException | EOFException e) {
            throw new InvalidCheckpointException("checkpoint " + file.getFileName() + " is corrupt: " + e.getMessage(),
                    e);
        } catch (InvalidCheckpointException e) {
            throw new InvalidCheckpointException("checkpoint " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            byte[] head = new byte[2];
            try (InputStream in = Files.newInputStream(file)) {
                if (in.readNBytes(head, 0, 2) == 2 && (head[0] & 0xff) == 0x80 && head[1] == 2) {
                    throw new InvalidCheckpointException("it is in the legacy"
                            + " format of PyTorch before 1.6; re-save it with torch.save from PyTorch 1.6 or later");
                }
            }
            throw new InvalidCheckpointException("it is not a readable zip archive (truncated or not a torch.save file): " + e.getMessage(), e);
        }
    }

    /** The one {@code <archive>/data.pkl}; the archive name is whatever the file was called when saved. */
    private static String archivePrefix(ZipFile zip) throws InvalidCheckpointException {
        List<String> found = new ArrayList<>();
        for (ZipEntry entry : Collections.list(zip.entries())) {
            String name = entry.getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                found.add(name.substring(0, name.length() - "data.pkl".length()));
            }
        }
        if (found.size() != 1) {
            throw new InvalidCheckpointException(found.isEmpty()
                    ? "no <archive>/data.pkl in the zip, so not a torch.save checkpoint"
                    : "several data.pkl records " + found + " in one zip");
        }
        return found.get(0);
    }

    private static void checkByteOrder(ZipFile zip, String prefix) throws IOException {
        if (zip.getEntry(prefix + "byteorder") == null) {
            return; // written since PyTorch 1.10; older files are little-endian
        }
        String order = new String(readEntry(zip, prefix + "byteorder", 16), StandardCharsets.US_ASCII).trim();
        if (!order.equals("little")) {
            throw new InvalidCheckpointException("byte order '" + order + "' is not supported; save the checkpoint"
                    + " on a little-endian machine");
        }
    }

    /** Reads one entry whole, refusing it before allocation when it declares more than {@code max} bytes. */
    private static byte[] readEntry(ZipFile zip, String name, long max) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new InvalidCheckpointException("the archive has no entry '" + name + "'");
        }
        long declared = entry.getSize();
        if (declared > max) {
            throw new InvalidCheckpointException("entry '" + name + "' holds " + declared + " bytes, more than the "
                    + max + "-byte limit");
        }
        int expected = (int) (declared < 0 ? max : declared);
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(expected);
            if (declared >= 0 && bytes.length < declared) {
                throw new InvalidCheckpointException("entry '" + name + "' is truncated: " + bytes.length + " of "
                        + declared + " bytes");
            }
            if (in.read() != -1) {
                throw new InvalidCheckpointException("entry '" + name + "' holds more bytes than it declares");
            }
            return bytes;
        }
    }

    private static String wrapperKey(Object root) throws InvalidCheckpointException {
        if (!(root instanceof Map<?, ?> top)) {
            throw new InvalidCheckpointException("it holds " + RestrictedUnpickler.describe(root)
                    + ", not a dict of tensors");
        }
        for (String key : WRAPPER_KEYS) {
            if (top.get(key) instanceof Map) {
                return key;
            }
        }
        if (!top.isEmpty() && top.values().stream().allMatch(v -> v instanceof TensorRef)) {
            return null;
        }
        List<String> keys = top.keySet().stream().limit(20).map(RestrictedUnpickler::describe).toList();
        throw new InvalidCheckpointException("it holds no state_dict: expected a dict of tensors or one under "
                + WRAPPER_KEYS + "; its top-level keys are " + keys);
    }

    private static Map<String, TensorRef> tensorRefs(Map<?, ?> dict) throws InvalidCheckpointException {
        Map<String, TensorRef> refs = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new InvalidCheckpointException("state_dict key " + RestrictedUnpickler.describe(e.getKey())
                        + " is not a string");
            }
            if (key.equals(BATCH_COUNTER) || key.endsWith("." + BATCH_COUNTER)) {
                continue; // a BatchNorm training counter, no weight
            }
            if (!(e.getValue() instanceof TensorRef ref)) {
                throw new InvalidCheckpointException("state_dict entry '" + key + "' is "
                        + RestrictedUnpickler.describe(e.getValue()) + ", not a tensor");
            }
            String name = key.startsWith(DATA_PARALLEL_PREFIX) ? key.substring(DATA_PARALLEL_PREFIX.length()) : key;
            if (refs.put(name, ref) != null) {
                throw new InvalidCheckpointException("state_dict names '" + name + "' twice (with and without '"
                        + DATA_PARALLEL_PREFIX + "')");
            }
        }
        if (refs.isEmpty()) {
            throw new InvalidCheckpointException("the state_dict holds no tensors");
        }
        return refs;
    }

    private static Map<String, CheckpointTensor> materialise(ZipFile zip, String prefix, Map<String, TensorRef> refs,
                                                             CheckpointLimits limits) throws IOException {
        Map<String, byte[]> storages = new HashMap<>();
        long total = 0;
        Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            TensorRef ref = e.getValue();
            StorageRef storage = ref.storage();
            byte[] bytes = storages.get(storage.key());
            if (bytes == null) {
                total = budget(total, storage.nbytes(), limits);
                String entry = prefix + "data/" + storage.key();
                ZipEntry zipEntry = zip.getEntry(entry);
                if (zipEntry != null && zipEntry.getSize() >= 0 && zipEntry.getSize() != storage.nbytes()) {
                    throw new InvalidCheckpointException("storage '" + storage.key() + "' is declared with "
                            + storage.nbytes() + " bytes but its entry holds " + zipEntry.getSize());
                }
                bytes = readEntry(zip, entry, storage.nbytes());
                if (bytes.length != storage.nbytes()) {
                    throw new InvalidCheckpointException("storage '" + storage.key() + "' is declared with "
                            + storage.nbytes() + " bytes but its entry holds " + bytes.length);
                }
                storages.put(storage.key(), bytes);
            }
            long size = ref.elementCount() * ref.dtype().byteSize();
            boolean wholeStorage = ref.offset() == 0 && ref.isContiguous() && size == bytes.length;
            if (!wholeStorage) {
                total = budget(total, size, limits);
            }
            tensors.put(e.getKey(), new CheckpointTensor(ref.dtype(), ref.shape(),
                    wholeStorage ? bytes : gather(bytes, ref)));
        }
        return tensors;
    }

    private static long budget(long total, long more, CheckpointLimits limits) throws InvalidCheckpointException {
        if (more > limits.maxTensorBytes() || total + more > limits.maxTotalBytes()) {
            throw new InvalidCheckpointException("the tensors need more than the " + limits.maxTotalBytes()
                    + "-byte limit (" + limits.maxTensorBytes() + " per tensor)");
        }
        return total + more;
    }

    /** Copies a strided view into row-major order; its extent was checked against the storage when it was built. */
    private static byte[] gather(byte[] storage, TensorRef ref) {
        int width = ref.dtype().byteSize();
        int count = (int) ref.elementCount();
        byte[] out = new byte[count * width];
        if (ref.isContiguous()) {
            System.arraycopy(storage, (int) (ref.offset() * width), out, 0, out.length);
            return out;
        }
        long[] shape = ref.shape();
        long[] stride = ref.stride();
        long[] index = new long[shape.length];
        long source = ref.offset();
        for (int i = 0; i < count; i++) {
            System.arraycopy(storage, (int) (source * width), out, i * width, width);
            for (int d = shape.length - 1; d >= 0; d--) {
                source += stride[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                source -= stride[d] * shape[d];
                index[d] = 0;
            }
        }
        return out;
    }
}
