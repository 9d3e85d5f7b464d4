package io.emostream.models.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * An ONNX Runtime session on the execution provider chosen at start-up, with graph optimisation level ALL. Runs one
 * float NCHW input and copies every output out as floats. {@link #run} is safe from one thread at a time per batch
 * buffer; ORT sessions themselves are thread-safe.
 */
public final class ModelSession implements BatchRunner, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSession.class);
    private static final String GPU_HELP = "a GPU provider needs the CUDA 12 runtime, cuBLAS and cuDNN 9 libraries on "
            + "the host (TensorRT 10 too for tensorrt) and the com.microsoft.onnxruntime:onnxruntime_gpu jar, not the "
            + "CPU-only onnxruntime artifact; or set the provider to cpu or auto";

    private final OrtEnvironment env = OrtEnvironments.get();
    private final OrtSession session;
    private final ExecutionProvider provider;
    private final String inputName;
    private final long[] inputShape;

    private ModelSession(OrtSession session, ExecutionProvider provider, String inputName) throws OrtException {
        this.session = session;
        this.provider = provider;
        this.inputName = inputName;
        NodeInfo info = session.getInputInfo().get(inputName);
        this.inputShape = info != null && info.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
    }

    /**
     * Opens {@code onnx} on the configured provider. AUTO tries CUDA and falls back to CPU, logging why at INFO; CUDA
     * and TENSORRT fail with the ONNX Runtime message and what to install.
     */
    public static ModelSession open(Path onnx, String inputName, RuntimeConfig config) throws ModelLoadException {
        if (!Files.isRegularFile(onnx)) {
            throw new ModelLoadException("model file " + onnx + " not found");
        }
        ExecutionProvider wanted = config.provider();
        String choice = "";
        if (wanted == ExecutionProvider.AUTO) {
            try {
                ModelSession s = create(onnx, inputName, config, ExecutionProvider.CUDA);
                LOG.info("model {}: execution provider cuda (auto: CUDA loaded)", onnx.getFileName());
                return s;
            } catch (OrtException e) {
                choice = " (auto: CUDA unavailable: " + e.getMessage() + ")";
                wanted = ExecutionProvider.CPU;
            }
        }
        try {
            ModelSession s = create(onnx, inputName, config, wanted);
            LOG.info("model {}: execution provider {}{}", onnx.getFileName(), wanted.id(), choice);
            return s;
        } catch (OrtException e) {
            if (wanted == ExecutionProvider.CPU) {
                throw new ModelLoadException("cannot load model " + onnx + ": " + e.getMessage(), e);
            }
            throw new ModelLoadException("execution provider " + wanted.id() + " cannot load: " + e.getMessage()
                    + "; " + GPU_HELP, e);
        }
    }

    /**
     * The session options every emostream session uses (graph optimisation ALL, the configured intra-op threads and
     * provider); public so that the benchmark's bare session is measured with exactly the same ones. The caller
     * closes them.
     */
    public static OrtSession.SessionOptions sessionOptions(RuntimeConfig config, ExecutionProvider provider)
            throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (config.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(config.intraOpThreads());
            }
            switch (provider) {
                case TENSORRT -> {
                    options.addTensorrt(config.deviceId());
                    options.addCUDA(config.deviceId()); // nodes TensorRT cannot take
                }
                case CUDA -> options.addCUDA(config.deviceId());
                default -> { }
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static ModelSession create(Path onnx, String inputName, RuntimeConfig config, ExecutionProvider provider)
            throws OrtException, ModelLoadException {
        OrtEnvironment env = OrtEnvironments.get();
        try (OrtSession.SessionOptions options = sessionOptions(config, provider)) {
            OrtSession session = env.createSession(onnx.toString(), options);
            if (!session.getInputNames().contains(inputName)) {
                String names = session.getInputNames().toString();
                session.close();
                throw new ModelLoadException("model " + onnx + " has no input '" + inputName + "' named by its card; "
                        + "its inputs are " + names);
            }
            return new ModelSession(session, provider, inputName);
        }
    }

    public ExecutionProvider provider() {
        return provider;
    }

    /** The input's shape as the graph declares it (-1 for symbolic dimensions). */
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** Output name -> declared shape (-1 for symbolic dimensions). */
    public Map<String, long[]> outputShapes() throws ModelLoadException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                if (e.getValue().getInfo() instanceof TensorInfo t) {
                    shapes.put(e.getKey(), t.getShape());
                }
            }
        } catch (OrtException e) {
            throw new ModelLoadException("cannot read the model's outputs: " + e.getMessage(), e);
        }
        return shapes;
    }

    @Override
    public Map<String, Tensor> run(FloatBuffer input, int rows) throws OrtException {
        long[] shape = inputShape.clone();
        shape[0] = rows;
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            for (Map.Entry<String, OnnxValue> e : result) {
                if (e.getValue() instanceof OnnxTensor t) {
                    out.put(e.getKey(), new Tensor(floats(e.getKey(), t), t.getInfo().getShape()));
                }
            }
        }
        return out;
    }

    private static float[] floats(String name, OnnxTensor t) throws OrtException {
        switch (t.getInfo().type) {
            case FLOAT -> {
                FloatBuffer b = t.getFloatBuffer();
                float[] a = new float[b.remaining()];
                b.get(a);
                return a;
            }
            case INT64 -> {
                LongBuffer b = t.getLongBuffer();
                return widened(b.remaining(), b::get);
            }
            case INT32 -> {
                IntBuffer b = t.getIntBuffer();
                return widened(b.remaining(), b::get);
            }
            default -> throw new OrtException("output '" + name + "' has type " + t.getInfo().type
                    + "; supported: float, int64, int32");
        }
    }

    /** The {@code n} integers {@code at(0..n-1)} as floats (class ids and label maps: exact below 2^24). */
    private static float[] widened(int n, IntToLongFunction at) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = at.applyAsLong(i);
        }
        return a;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing the ONNX Runtime session failed", e);
        }
    }
}
