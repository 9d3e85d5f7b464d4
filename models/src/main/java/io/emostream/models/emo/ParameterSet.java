package io.emostream.models.emo;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Tensor values by parameter name, in insertion order: the weights a graph is built with. */
public final class ParameterSet {

    /** One tensor: its shape and its values in row-major order. */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                        + " values, got " + data.length);
            }
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    /** Adds or replaces a tensor; the data array is kept, not copied. */
    public void put(String name, long[] shape, float[] data) {
        tensors.put(name, new Tensor(shape, data));
    }

    /** @throws IllegalArgumentException when absent */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named " + name);
        }
        return t;
    }

    public float[] data(String name) {
        return get(name).data();
    }

    public long[] shape(String name) {
        return get(name).shape();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public int size() {
        return tensors.size();
    }
}
