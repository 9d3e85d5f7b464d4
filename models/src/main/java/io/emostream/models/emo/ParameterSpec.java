package io.emostream.models.emo;

import java.util.Arrays;

/**
 * One tensor of a network, named as in the reference PyTorch state_dict.
 *
 * @param trainable false for BatchNorm running statistics, which are not counted as parameters
 */
public record ParameterSpec(String name, long[] shape, boolean trainable) {
    public ParameterSpec {
        shape = shape.clone();
    }

    public long elements() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape)
                && p.trainable == trainable;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (trainable ? "" : " (buffer)");
    }
}
