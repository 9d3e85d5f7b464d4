package io.emostream.models.weights;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test side: writes pickle opcodes one by one, the way CPython's pickler does for protocol 2. */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter op(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    PickleWriter proto() { return op(0x80, 2); }

    PickleWriter stop() { return op('.'); }

    PickleWriter mark() { return op('('); }

    PickleWriter emptyDict() { return op('}'); }

    PickleWriter emptyList() { return op(']'); }

    PickleWriter emptyTuple() { return op(')'); }

    PickleWriter tuple() { return op('t'); }

    PickleWriter setItem() { return op('s'); }

    PickleWriter setItems() { return op('u'); }

    PickleWriter appends() { return op('e'); }

    PickleWriter reduce() { return op('R'); }

    PickleWriter build() { return op('b'); }

    PickleWriter persistentId() { return op('Q'); }

    PickleWriter bool(boolean v) { return op(v ? 0x88 : 0x89); }

    PickleWriter put(int memo) { return op('q', memo); }

    PickleWriter get(int memo) { return op('h', memo); }

    PickleWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    /** BININT1/BININT/LONG1 as CPython picks them. */
    PickleWriter integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K', (int) v);
        }
        if (v == (int) v) {
            op('J');
            return le(v, 4);
        }
        op(0x8a, 8);
        return le(v, 8);
    }

    PickleWriter floating(double v) {
        op('G');
        long bits = Double.doubleToLongBits(v);
        for (int i = 7; i >= 0; i--) {
            out.write((int) (bits >>> (8 * i)));
        }
        return this;
    }

    PickleWriter global(String module, String name) {
        return op('c').text(module + "\n" + name + "\n");
    }

    PickleWriter text(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    PickleWriter stackGlobal(String module, String name) {
        return string(module).string(name).op(0x93);
    }

    /** A tuple of integers (tensor size or stride). */
    PickleWriter ints(long... values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return tuple();
    }

    PickleWriter le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
