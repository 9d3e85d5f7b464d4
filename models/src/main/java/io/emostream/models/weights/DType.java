package io.emostream.models.weights;

import java.util.Optional;

/**
 * Tensor element types a checkpoint may hold, with the names PyTorch pickles them under: the legacy typed storage
 * class ({@code torch.FloatStorage}) and the dtype ({@code torch.float32}).
 */
public enum DType {
    FLOAT32("FloatStorage", "float32", 4, true),
    FLOAT16("HalfStorage", "float16", 2, true),
    BFLOAT16("BFloat16Storage", "bfloat16", 2, true),
    FLOAT64("DoubleStorage", "float64", 8, true),
    INT64("LongStorage", "int64", 8, false),
    INT32("IntStorage", "int32", 4, false);

    private final String storageClass;
    private final String dtypeName;
    private final int byteSize;
    private final boolean floating;

    DType(String storageClass, String dtypeName, int byteSize, boolean floating) {
        this.storageClass = storageClass;
        this.dtypeName = dtypeName;
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Class name in module {@code torch}, e.g. {@code FloatStorage}. */
    public String storageClass() { return storageClass; }

    /** Attribute name in module {@code torch}, e.g. {@code float32}. */
    public String dtypeName() { return dtypeName; }

    public int byteSize() { return byteSize; }

    public boolean isFloating() { return floating; }

    static Optional<DType> forStorageClass(String name) {
        for (DType t : values()) {
            if (t.storageClass.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    static Optional<DType> forDtypeName(String name) {
        for (DType t : values()) {
            if (t.dtypeName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** IEEE 754 binary16 bits to float; exact, since every half value is a float value. */
    static float halfToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** bfloat16 is the upper half of a float32. */
    static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
