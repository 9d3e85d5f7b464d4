package io.emostream.models.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** One tensor read from a checkpoint: its element type, shape, and its elements in row-major order. */
public final class CheckpointTensor {
    private final DType dtype;
    private final long[] shape;
    private final byte[] data;

    /** @param littleEndian {@code elementCount * dtype.byteSize()} bytes, row-major, as PyTorch stores them */
    CheckpointTensor(DType dtype, long[] shape, byte[] littleEndian) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = littleEndian;
    }

    public DType dtype() { return dtype; }

    public long[] shape() { return shape.clone(); }

    public int elementCount() { return data.length / dtype.byteSize(); }

    /** The elements as float32: exact for float32, float16 and bfloat16; rounded for float64. */
    public float[] toFloatArray() {
        if (!dtype.isFloating()) {
            throw new IllegalStateException("a " + dtype.dtypeName() + " tensor has no float values");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case FLOAT32 -> b.getFloat(4 * i);
                case FLOAT16 -> DType.halfToFloat(b.getShort(2 * i));
                case BFLOAT16 -> DType.bfloat16ToFloat(b.getShort(2 * i));
                case FLOAT64 -> (float) b.getDouble(8 * i);
                default -> throw new IllegalStateException(dtype.name());
            };
        }
        return out;
    }

    /** The elements of an integer tensor. */
    public long[] toLongArray() {
        if (dtype.isFloating()) {
            throw new IllegalStateException("a " + dtype.dtypeName() + " tensor has no integer values");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dtype == DType.INT64 ? b.getLong(8 * i) : b.getInt(4 * i);
        }
        return out;
    }

    @Override
    public String toString() {
        return dtype.dtypeName() + Arrays.toString(shape);
    }
}
