package io.emostream.models.runtime;

import io.emostream.models.image.FrameMapping;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/** One pre-processed frame: its input row (a pooled direct buffer, returned on close) and how it maps to the frame. */
public final class PreparedInput implements AutoCloseable {
    private final FloatBuffer data;
    private final FrameMapping mapping;
    private final float preprocessMs;
    private final FloatBufferPool pool;
    private final AtomicBoolean closed = new AtomicBoolean();

    PreparedInput(FloatBuffer data, FrameMapping mapping, float preprocessMs, FloatBufferPool pool) {
        this.data = data;
        this.mapping = mapping;
        this.preprocessMs = preprocessMs;
        this.pool = pool;
    }

    /** The row, positioned at 0 with limit = C*H*W. */
    public FloatBuffer data() {
        return data.duplicate().rewind();
    }

    public FrameMapping mapping() {
        return mapping;
    }

    public float preprocessMs() {
        return preprocessMs;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pool.release(data);
        }
    }
}
