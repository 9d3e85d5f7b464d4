package io.emostream.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.emostream.models.runtime.ExecutionProvider;
import io.emostream.models.runtime.ModelSession;
import io.emostream.models.runtime.OrtEnvironments;
import io.emostream.models.runtime.RuntimeConfig;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The ceiling: the bare ONNX Runtime session, inputs already in a tensor that is reused, nothing else. Opened with
 * the options the runtime's {@code ModelSession} uses (graph optimisation ALL, the same intra-op threads and
 * provider), so that the other scenarios are compared with the same engine.
 */
public final class SessionScenario implements AutoCloseable {
    /** Largest input tensor it allocates: 1 GiB of floats. */
    private static final long MAX_INPUT_FLOATS = 1L << 28;

    private final OrtEnvironment env = OrtEnvironments.get();
    private final BenchModel model;
    private final BenchSettings settings;
    private final OrtSession session;
    private final String provider;

    private SessionScenario(BenchModel model, BenchSettings settings, OrtSession session, String provider) {
        this.model = model;
        this.settings = settings;
        this.session = session;
        this.provider = provider;
    }

    /**
     * Frames per second and the time per call at a batch size.
     *
     * @param framesMeasured frames run in the measured pass (a whole number of batches)
     * @param load            1-minute load average of the machine when it was measured
     */
    public record Row(int batch, double fps, double msPerBatch, int framesMeasured, double load) { }

    public static SessionScenario open(BenchModel model, BenchSettings settings) throws OrtException {
        RuntimeConfig config = settings.runtime();
        ExecutionProvider wanted = config.provider();
        if (wanted == ExecutionProvider.AUTO) {
            try {
                return new SessionScenario(model, settings, create(model, config, ExecutionProvider.CUDA), "cuda");
            } catch (OrtException e) {
                wanted = ExecutionProvider.CPU;
            }
        }
        try {
            return new SessionScenario(model, settings, create(model, config, wanted), wanted.id());
        } catch (OrtException e) {
            if (wanted == ExecutionProvider.CPU) {
                throw e;
            }
            throw new IllegalStateException("execution provider " + wanted.id() + " cannot load (" + e.getMessage()
                    .strip() + "); it needs an NVIDIA GPU with the CUDA 12, cuBLAS and cuDNN 9 libraries on the host, "
                    + "or use --provider cpu or auto", e);
        }
    }

    private static OrtSession create(BenchModel model, RuntimeConfig config, ExecutionProvider provider)
            throws OrtException {
        try (OrtSession.SessionOptions options = ModelSession.sessionOptions(config, provider)) {
            return OrtEnvironments.get().createSession(model.onnx().toString(), options);
        }
    }

    /** The execution provider the session runs on: cuda, tensorrt or cpu. */
    public String provider() {
        return provider;
    }

    public Row measure(int batch) throws OrtException {
        long[] shape = model.card().input().shape().clone();
        shape[0] = batch;
        long floats = 1;
        for (long d : shape) {
            floats *= d;
        }
        if (floats <= 0 || floats > MAX_INPUT_FLOATS) {
            throw new IllegalArgumentException("batch " + batch + " of input " + java.util.Arrays.toString(shape)
                    + " needs " + floats + " floats, over the limit of " + MAX_INPUT_FLOATS + "; use a smaller batch");
        }
        FloatBuffer data = ByteBuffer.allocateDirect(Math.toIntExact(floats * Float.BYTES))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        SplittableRandom random = new SplittableRandom(1);
        while (data.hasRemaining()) {
            data.put((float) random.nextGaussian());
        }
        data.rewind();
        int calls = Math.max(1, (settings.frames() + batch - 1) / batch);
        double seconds;
        try (OnnxTensor input = OnnxTensor.createTensor(env, data, shape)) {
            Map<String, OnnxTensor> feed = Map.of(model.card().input().name(), input);
            for (int i = 0; i < (settings.warmup() + batch - 1) / batch; i++) {
                runOnce(feed);
            }
            long start = System.nanoTime();
            for (int c = 0; c < calls; c++) {
                runOnce(feed);
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }
        return new Row(batch, calls * (double) batch / seconds, seconds * 1000 / calls, calls * batch,
                MachineState.loadAverage());
    }

    private void runOnce(Map<String, OnnxTensor> feed) throws OrtException {
        try (OrtSession.Result ignored = session.run(feed)) {
            // the outputs are produced; reading them is the runtime's cost, measured in the runtime scenario
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
