package io.emostream.models.emo;

import io.emostream.models.runtime.OrtEnvironments;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Runs built graphs in ONNX Runtime (CPU provider) for the tests. */
final class OrtSupport {
    static final OrtEnvironment ENV = OrtEnvironments.get();

    record Output(long[] shape, float[] data) { }

    private OrtSupport() { }

    static OrtSession open(Path onnx) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            return ENV.createSession(onnx.toString(), options);
        }
    }

    static OrtSession open(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            return ENV.createSession(model, options);
        }
    }

    /** Runs {@code copies} copies of one input item [1, ...itemShape] as a batch. */
    static Map<String, Output> run(OrtSession session, float[] item, long[] itemShape, int copies)
            throws OrtException {
        float[] batch = new float[item.length * copies];
        for (int i = 0; i < copies; i++) {
            System.arraycopy(item, 0, batch, i * item.length, item.length);
        }
        long[] shape = itemShape.clone();
        shape[0] = copies;
        Map<String, Output> outputs = new LinkedHashMap<>();
        try (OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(batch), shape);
             OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), input))) {
            for (Map.Entry<String, OnnxValue> e : result) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                FloatBuffer fb = t.getFloatBuffer();
                float[] data = new float[fb.remaining()];
                fb.get(data);
                outputs.put(e.getKey(), new Output(((TensorInfo) t.getInfo()).getShape(), data));
            }
        }
        return outputs;
    }

    /** A normalised image-like input: uniform pixels through the ImageNet mean/std, about unit scale. */
    static float[] randomInput(long[] itemShape, long seed) {
        long n = 1;
        for (long d : itemShape) n *= d;
        float[] x = new float[Math.toIntExact(n)];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((random.nextDouble() * 255 - 118) / 58);
        }
        return x;
    }

    static double std(float[] v) {
        double mean = 0, sq = 0;
        for (float f : v) mean += f;
        mean /= v.length;
        for (float f : v) sq += (f - mean) * (f - mean);
        return Math.sqrt(sq / v.length);
    }
}
