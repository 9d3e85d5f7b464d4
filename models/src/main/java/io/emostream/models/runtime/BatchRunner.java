package io.emostream.models.runtime;

import java.nio.FloatBuffer;
import java.util.Map;

/** One session call on a batch: {@code rows} inputs laid out back to back in {@code input}. */
@FunctionalInterface
public interface BatchRunner {
    /** @return every graph output by name, batch dimension first */
    Map<String, Tensor> run(FloatBuffer input, int rows) throws Exception;

    /** An output copied out of ONNX Runtime as floats (integer outputs such as class ids are exact up to 2^24). */
    record Tensor(float[] data, long[] shape) { }
}
