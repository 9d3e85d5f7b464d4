package io.emostream.models.weights;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle machine for state_dict checkpoints that runs nothing. It knows the opcodes of protocols 0-5 that
 * {@code torch.save} emits for dicts of tensors, builds plain Java values (String, Long, BigInteger, Double, Boolean,
 * null, byte[], ArrayList, LinkedHashMap, {@link PickleTuple}), and interprets the few allowed globals
 * ({@link PickleGlobal}) itself: an ordered dict becomes a LinkedHashMap, a tensor rebuild becomes a
 * {@link TensorRef}, a persistent id becomes a {@link StorageRef}. Any other global, and any opcode that would
 * instantiate a class, is refused. Every length and count is bounded by {@link CheckpointLimits}.
 */
final class RestrictedUnpickler {
    private static final int MAX_LINE = 256;
    private static final int MAX_LONG_BYTES = 64;
    private static final int MAX_KEY_DEPTH = 8;

    private final byte[] in;
    private final CheckpointLimits limits;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, StorageRef> storages = new HashMap<>();
    private int pos;
    private long objects;

    private RestrictedUnpickler(byte[] pickle, CheckpointLimits limits) {
        this.in = pickle;
        this.limits = limits;
    }

    /** The single value the pickle describes. */
    static Object load(byte[] pickle, CheckpointLimits limits) throws InvalidCheckpointException {
        return new RestrictedUnpickler(pickle, limits).run();
    }

    private Object run() throws InvalidCheckpointException {
        while (true) {
            int at = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol > 5) {
                        throw fail("pickle protocol " + protocol + " is not supported (0-5 are)");
                    }
                }
                case 0x95 -> skip(8); // FRAME: a length hint only
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw fail("the pickle stops with " + stack.size() + " values on its stack, not one");
                    }
                    return stack.get(0);
                }
                case '(' -> mark();
                case '}' -> push(new LinkedHashMap<>());
                case ']' -> push(new ArrayList<>());
                case ')' -> push(new PickleTuple(List.of()));
                case 'd' -> { // DICT
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putPairs(dict, popMark());
                    push(dict);
                }
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 't' -> push(new PickleTuple(popMark())); // TUPLE
                case 0x85 -> push(new PickleTuple(popN(1)));
                case 0x86 -> push(new PickleTuple(popN(2)));
                case 0x87 -> push(new PickleTuple(popN(3)));
                case 'X' -> push(utf8(length(4))); // BINUNICODE
                case 0x8c -> push(utf8(length(1))); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(length(8))); // BINUNICODE8
                case 'T' -> push(latin1(length(4))); // BINSTRING (Python 2 str)
                case 'U' -> push(latin1(length(1))); // SHORT_BINSTRING
                case 'B' -> push(bytes(length(4))); // BINBYTES
                case 'C' -> push(bytes(length(1))); // SHORT_BINBYTES
                case 0x8e -> push(bytes(length(8))); // BINBYTES8
                case 'J' -> push((long) littleEndian(4, true)); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push(littleEndian(2, false)); // BININT2
                case 0x8a -> push(integer(length(1))); // LONG1
                case 0x8b -> push(integer(length(4))); // LONG4
                case 'G' -> push(Double.longBitsToDouble(bigEndianLong())); // BINFLOAT
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'N' -> push(null);
                case 'q' -> memoPut(u8()); // BINPUT
                case 'r' -> memoPut(littleEndian(4, false)); // LONG_BINPUT
                case 0x94 -> memoPut(memo.size()); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(littleEndian(4, false))); // LONG_BINGET
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    putPairs(dictOnTop(), Arrays.asList(key, value));
                }
                case 'u' -> { // SETITEMS
                    List<Object> pairs = popMark();
                    putPairs(dictOnTop(), pairs);
                }
                case 'a' -> { // APPEND
                    Object value = pop();
                    listOnTop().add(value);
                    count(1);
                }
                case 'e' -> { // APPENDS
                    List<Object> values = popMark();
                    listOnTop().addAll(values);
                    count(values.size());
                }
                case 'c' -> push(PickleGlobal.resolve(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail("STACK_GLOBAL needs two strings");
                    }
                    push(PickleGlobal.resolve(m, n));
                }
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(reduce(callable, args));
                }
                case 'b' -> build(pop(), peek()); // BUILD
                case 'Q' -> push(persistentLoad(pop())); // BINPERSID
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP
                default -> throw fail(String.format(
                        "pickle opcode 0x%02x at byte %d is not allowed in a state_dict checkpoint", op, at));
            }
        }
    }

    // ---- the allowed globals, interpreted here rather than called

    private Object reduce(Object callable, Object args) throws InvalidCheckpointException {
        if (!(callable instanceof PickleGlobal global)) {
            throw fail("REDUCE applied to " + describe(callable) + ", not to an allowed global");
        }
        if (!(args instanceof PickleTuple a)) {
            throw fail("REDUCE of " + global.qualifiedName() + " without an argument tuple");
        }
        return switch (global.kind()) {
            case ORDERED_DICT -> orderedDict(a);
            case REBUILD_TENSOR_V2 -> {
                arity(global, a, 6, 7);
                StorageRef s = argument(global, a, 0, StorageRef.class, "a typed storage");
                if (s.dtype() == null) {
                    throw needs(global, "a typed storage", s);
                }
                yield tensor(s, s.dtype(), a);
            }
            case REBUILD_TENSOR_V3 -> {
                arity(global, a, 7, 8);
                StorageRef s = argument(global, a, 0, StorageRef.class, "a storage");
                PickleGlobal dtype = argument(global, a, 6, PickleGlobal.class, "a torch dtype");
                if (dtype.kind() != PickleGlobal.Kind.DTYPE) {
                    throw needs(global, "a torch dtype", dtype);
                }
                yield tensor(s, dtype.dtype(), a);
            }
            case REBUILD_PARAMETER -> {
                arity(global, a, 3, 3);
                yield argument(global, a, 0, TensorRef.class, "a tensor");
            }
            default -> throw fail("global " + global.qualifiedName() + " cannot be called");
        };
    }

    private Map<Object, Object> orderedDict(PickleTuple args) throws InvalidCheckpointException {
        Map<Object, Object> dict = new LinkedHashMap<>();
        if (args.size() == 1 && args.get(0) instanceof List<?> items) {
            for (Object item : items) {
                if (!(item instanceof PickleTuple pair) || pair.size() != 2) {
                    throw fail("collections.OrderedDict items must be (key, value) pairs");
                }
                putPairs(dict, pair.items());
            }
        } else if (args.size() != 0) {
            throw fail("collections.OrderedDict takes no arguments or one list of pairs");
        }
        return dict;
    }

    /** {@code (storage, storage_offset, size, stride, requires_grad, backward_hooks, ...)}: a view, validated. */
    private TensorRef tensor(StorageRef storage, DType dtype, PickleTuple args) throws InvalidCheckpointException {
        long offset = nonNegative(args.get(1), "storage offset");
        long[] shape = longs(args.get(2), "size");
        long[] stride = longs(args.get(3), "stride");
        if (shape.length != stride.length) {
            throw fail("tensor size " + Arrays.toString(shape) + " and stride "
                    + Arrays.toString(stride) + " differ in length");
        }
        if (shape.length > limits.maxDims()) {
            throw fail("tensor with " + shape.length + " dimensions (at most " + limits.maxDims() + ")");
        }
        long storageElements = storage.nbytes() / dtype.byteSize();
        try {
            long elements = 1;
            long lastIndex = offset;
            for (int d = 0; d < shape.length; d++) {
                elements = Math.multiplyExact(elements, shape[d]);
                if (shape[d] > 0) {
                    lastIndex = Math.addExact(lastIndex, Math.multiplyExact(shape[d] - 1, stride[d]));
                }
            }
            if (Math.multiplyExact(elements, (long) dtype.byteSize()) > limits.maxTensorBytes()) {
                throw fail("tensor of " + elements + " " + dtype.dtypeName() + " elements exceeds the "
                        + limits.maxTensorBytes() + "-byte limit");
            }
            if (elements > 0 && lastIndex >= storageElements) {
                throw fail("tensor view (offset " + offset + ", size " + Arrays.toString(shape)
                        + ", stride " + Arrays.toString(stride) + ") reaches element " + lastIndex
                        + " of storage '" + storage.key() + "', which holds " + storageElements);
            }
        } catch (ArithmeticException e) {
            throw fail("tensor size " + Arrays.toString(shape) + " overflows");
        }
        return new TensorRef(storage, dtype, offset, shape, stride);
    }

    /** {@code ('storage', storage_type, key, location, numel)}; the same key always names the same storage. */
    private StorageRef persistentLoad(Object pid) throws InvalidCheckpointException {
        if (!(pid instanceof PickleTuple t) || t.size() != 5 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof PickleGlobal type) || !(t.get(2) instanceof String key)
                || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw fail("persistent id " + describe(pid) + " is not ('storage', type, key, location, numel)");
        }
        DType dtype = switch (type.kind()) {
            case TYPED_STORAGE -> type.dtype();
            case UNTYPED_STORAGE -> null;
            default -> throw fail("persistent id names " + type.qualifiedName() + ", not a storage type");
        };
        long nbytes;
        try {
            nbytes = Math.multiplyExact(numel, dtype == null ? 1L : dtype.byteSize());
        } catch (ArithmeticException e) {
            throw fail("storage '" + key + "' declares " + numel + " elements, which overflows");
        }
        StorageRef storage = new StorageRef(key, dtype, nbytes);
        StorageRef earlier = storages.putIfAbsent(key, storage);
        if (earlier != null && !earlier.equals(storage)) {
            throw fail("storage '" + key + "' is declared twice with different types or sizes");
        }
        return earlier != null ? earlier : storage;
    }

    /** BUILD sets instance state; only an ordered dict's attribute dict (its {@code _metadata}) occurs, and is dropped. */
    private void build(Object state, Object target) throws InvalidCheckpointException {
        if (!(target instanceof Map) || !(state instanceof Map || state == null)) {
            throw fail("BUILD of " + describe(target) + " with " + describe(state) + " is not allowed");
        }
    }

    private void arity(PickleGlobal global, PickleTuple args, int min, int max) throws InvalidCheckpointException {
        if (args.size() < min || args.size() > max) {
            throw fail(global.qualifiedName() + " called with " + args.size() + " arguments");
        }
    }

    /** Argument {@code index} of a call of {@code global}, which must be a {@code type} ({@code what} says which). */
    private <T> T argument(PickleGlobal global, PickleTuple args, int index, Class<T> type, String what)
            throws InvalidCheckpointException {
        Object value = args.get(index);
        if (!type.isInstance(value)) {
            throw needs(global, what, value);
        }
        return type.cast(value);
    }

    private InvalidCheckpointException needs(PickleGlobal global, String what, Object got) {
        return fail(global.qualifiedName() + " needs " + what + ", got " + describe(got));
    }

    private long nonNegative(Object value, String what) throws InvalidCheckpointException {
        if (!(value instanceof Long v) || v < 0) {
            throw fail("tensor " + what + " " + describe(value) + " is not a non-negative integer");
        }
        return v;
    }

    private long[] longs(Object value, String what) throws InvalidCheckpointException {
        if (!(value instanceof PickleTuple t)) {
            throw fail("tensor " + what + " " + describe(value) + " is not a tuple");
        }
        if (t.size() > limits.maxDims()) {
            throw fail("tensor " + what + " has " + t.size() + " dimensions (at most " + limits.maxDims() + ")");
        }
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(t.get(i), what);
        }
        return out;
    }

    // ---- containers

    /** Keys must be hashable the way Python's are: scalars, strings and tuples of them; never a list or a dict. */
    private void putPairs(Map<Object, Object> dict, List<Object> pairs) throws InvalidCheckpointException {
        if (pairs.size() % 2 != 0) {
            throw fail("dict items come in key/value pairs, got " + pairs.size() + " values");
        }
        for (int i = 0; i < pairs.size(); i += 2) {
            Object key = pairs.get(i);
            checkKey(key, 0);
            dict.put(key, pairs.get(i + 1));
        }
        count(pairs.size() / 2);
    }

    private void checkKey(Object key, int depth) throws InvalidCheckpointException {
        if (key == null || key instanceof String || key instanceof Long || key instanceof BigInteger
                || key instanceof Double || key instanceof Boolean) {
            return;
        }
        if (key instanceof PickleTuple t && depth < MAX_KEY_DEPTH) {
            for (Object item : t.items()) {
                checkKey(item, depth + 1);
            }
            return;
        }
        throw fail("dict key " + describe(key) + " is not allowed");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictOnTop() throws InvalidCheckpointException {
        if (!(peek() instanceof Map<?, ?> m)) {
            throw fail("SETITEM(S) on " + describe(peek()) + ", not a dict");
        }
        return (Map<Object, Object>) m;
    }

    @SuppressWarnings("unchecked")
    private List<Object> listOnTop() throws InvalidCheckpointException {
        if (!(peek() instanceof ArrayList<?> l)) {
            throw fail("APPEND(S) on " + describe(peek()) + ", not a list");
        }
        return (List<Object>) l;
    }

    // ---- stack and memo

    private void push(Object value) throws InvalidCheckpointException {
        if (stack.size() + marks.size() >= limits.maxStackDepth()) {
            throw fail("pickle stack deeper than " + limits.maxStackDepth());
        }
        count(1);
        stack.add(value);
    }

    private Object pop() throws InvalidCheckpointException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw fail("pickle pops from an empty stack");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws InvalidCheckpointException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw fail("pickle reads an empty stack");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) throws InvalidCheckpointException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return Arrays.asList(items);
    }

    private void mark() throws InvalidCheckpointException {
        if (stack.size() + marks.size() >= limits.maxStackDepth()) {
            throw fail("pickle stack deeper than " + limits.maxStackDepth());
        }
        marks.add(stack.size());
    }

    private List<Object> popMark() throws InvalidCheckpointException {
        if (marks.isEmpty()) {
            throw fail("pickle uses a mark it never set");
        }
        int from = marks.remove(marks.size() - 1);
        List<Object> tail = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(tail);
        tail.clear();
        return items;
    }

    private void memoPut(long index) throws InvalidCheckpointException {
        if (memo.size() >= limits.maxMemoEntries() && !memo.containsKey(index)) {
            throw fail("pickle memo larger than " + limits.maxMemoEntries() + " entries");
        }
        memo.put(index, peek());
    }

    private Object memoGet(long index) throws InvalidCheckpointException {
        if (!memo.containsKey(index)) {
            throw fail("pickle reads memo entry " + index + ", which was never stored");
        }
        return memo.get(index);
    }

    private void count(long n) throws InvalidCheckpointException {
        objects += n;
        if (objects > limits.maxObjects()) {
            throw fail("pickle creates more than " + limits.maxObjects() + " values");
        }
    }

    // ---- bytes

    private int u8() throws InvalidCheckpointException {
        need(1);
        return in[pos++] & 0xff;
    }

    private void skip(int n) throws InvalidCheckpointException {
        need(n);
        pos += n;
    }

    private void need(long n) throws InvalidCheckpointException {
        if (n > in.length - pos) {
            throw fail("the pickle ends early: " + n + " more bytes needed at byte " + pos + " of " + in.length);
        }
    }

    private long littleEndian(int n, boolean signed) throws InvalidCheckpointException {
        need(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (in[pos + i] & 0xff);
        }
        pos += n;
        if (signed && n < 8) {
            int shift = 64 - 8 * n;
            v = (v << shift) >> shift;
        }
        return v;
    }

    private long bigEndianLong() throws InvalidCheckpointException {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (in[pos++] & 0xff);
        }
        return v;
    }

    /** A declared length, checked against what is left of the pickle and the string limit before any allocation. */
    private int length(int width) throws InvalidCheckpointException {
        long n = littleEndian(width, width == 8);
        if (n < 0 || n > limits.maxStringBytes()) {
            throw fail("pickle declares a " + n + "-byte value (at most " + limits.maxStringBytes() + ")");
        }
        need(n);
        return (int) n;
    }

    private String utf8(int n) {
        String s = new String(in, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private String latin1(int n) {
        String s = new String(in, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }

    private byte[] bytes(int n) {
        byte[] b = Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return b;
    }

    /** LONG1/LONG4: two's complement, little-endian. Python ints in a checkpoint are small; big ones are refused. */
    private Object integer(int n) throws InvalidCheckpointException {
        if (n > MAX_LONG_BYTES) {
            throw fail("pickle integer of " + n + " bytes (at most " + MAX_LONG_BYTES + ")");
        }
        byte[] bigEndian = new byte[Math.max(n, 1)];
        for (int i = 0; i < n; i++) {
            bigEndian[n - 1 - i] = in[pos + i];
        }
        pos += n;
        BigInteger v = n == 0 ? BigInteger.ZERO : new BigInteger(bigEndian);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String line() throws InvalidCheckpointException {
        int start = pos;
        while (pos < in.length && in[pos] != '\n') {
            if (pos - start >= MAX_LINE) {
                throw fail("pickle GLOBAL name longer than " + MAX_LINE + " bytes");
            }
            pos++;
        }
        need(1);
        String s = new String(in, start, pos - start, StandardCharsets.UTF_8);
        pos++;
        return s;
    }

    private InvalidCheckpointException fail(String message) {
        return new InvalidCheckpointException(message);
    }

    static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof String s) {
            return "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
        }
        if (value instanceof PickleGlobal g) {
            return g.qualifiedName();
        }
        if (value instanceof Map) {
            return "a dict";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof PickleTuple t) {
            return "a tuple of " + t.size();
        }
        if (value instanceof TensorRef) {
            return "a tensor";
        }
        if (value instanceof StorageRef) {
            return "a storage";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        return String.valueOf(value);
    }
}
