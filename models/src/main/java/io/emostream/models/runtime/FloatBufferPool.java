package io.emostream.models.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/** Reusable direct buffers of one input row (C*H*W floats), so pre-processing allocates no native memory per frame. */
final class FloatBufferPool {
    private final int floats;
    private final ArrayBlockingQueue<FloatBuffer> free;

    FloatBufferPool(int floats, int keep) {
        this.floats = floats;
        this.free = new ArrayBlockingQueue<>(keep);
    }

    static FloatBuffer allocate(long floats) {
        if (floats * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of " + floats + " floats is too large for one buffer");
        }
        return ByteBuffer.allocateDirect((int) floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    int floats() {
        return floats;
    }

    FloatBuffer acquire() {
        FloatBuffer b = free.poll();
        return b != null ? b : allocate(floats);
    }

    void release(FloatBuffer b) {
        b.clear();
        free.offer(b); // dropped when the pool is full; the GC frees it
    }
}
