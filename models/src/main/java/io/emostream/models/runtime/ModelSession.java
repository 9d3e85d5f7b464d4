package io.emostream.models.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
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
 * float NCHW input and reads every output out as floats (a float output with the one copy ONNX Runtime makes). {@link #run} is safe from one thread at a time per batch
 * buffer; ORT sessions themselves are thread-safe.
 */
public final class ModelSession implements BatchRunner, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSession.class);
    private static final String GPU_HELP = "a GPU provider needs the CUDA 12 runtime, cuBLAS and cuDNN 9 libraries on "
            + "the host (TensorRT 10 too for tensorrt) and the com.microsoft.onnxruntime:onnxruntime_gpu jar, not the "
            + "CPU-only onnxruntime artifact; or set the provider to cpu or auto";

    private final OrtEnvironment env = OrtEnvironments.get();
    private final OrtSession session;
    private final RuntimeConfig config;
    private final String inputName;
    private final long[] inputShape;

    private ModelSession(OrtSession session, RuntimeConfig config, String inputName) throws OrtException {
        this.session = session;
        this.config = config;
        this.inputName = inputName;
        NodeInfo info = session.getInputInfo().get(inputName);
        this.inputShape = info != null && info.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
    }

    /**
     * Opens {@code onnx} on the configured provider, its auto settings resolved for that provider and this machine's
     * cores ({@link RuntimeConfig#resolvedFor}) and logged at INFO. AUTO tries CUDA and falls back to CPU, logging
     * why; CUDA and TENSORRT fail with the ONNX Runtime message and what to install.
     *
     * @param inputShape the input's NCHW shape as the model card declares it (TensorRT's profiles are built on it)
     */
    public static ModelSession open(Path onnx, String inputName, long[] inputShape, RuntimeConfig config)
            throws ModelLoadException {
        if (!Files.isRegularFile(onnx)) {
            throw new ModelLoadException("model file " + onnx + " not found");
        }
        ExecutionProvider wanted = config.provider();
        String choice = "";
        if (wanted == ExecutionProvider.AUTO) {
            try {
                return create(onnx, inputName, inputShape, config, ExecutionProvider.CUDA, " (auto: CUDA loaded)");
            } catch (OrtException e) {
                choice = " (auto: CUDA unavailable: " + e.getMessage() + ")";
                wanted = ExecutionProvider.CPU;
            }
        }
        try {
            return create(onnx, inputName, inputShape, config, wanted, choice);
        } catch (OrtException e) {
            if (wanted == ExecutionProvider.CPU) {
                throw new ModelLoadException("cannot load model " + onnx + ": " + e.getMessage(), e);
            }
            throw new ModelLoadException("execution provider " + wanted.id() + " cannot load: " + e.getMessage()
                    + "; " + GPU_HELP, e);
        }
    }

    /**
     * The session options every emostream session uses (graph optimisation ALL, the intra-op threads and the
     * provider with its {@link GpuProviderOptions}) for a configuration already {@link RuntimeConfig#resolvedFor
     * resolved}; public so that the benchmark's bare session is measured with exactly the same ones. The caller
     * closes them.
     */
    public static OrtSession.SessionOptions sessionOptions(RuntimeConfig resolved, String inputName,
                                                           long[] inputShape) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (resolved.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(resolved.intraOpThreads());
            }
            switch (resolved.provider()) {
                case TENSORRT -> {
                    try (OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(resolved.deviceId())) {
                        addAll(trt::add, GpuProviderOptions.tensorrt(resolved.deviceId(), resolved.gpu(), inputName,
                                inputShape, resolved.maxBatch()));
                        options.addTensorrt(trt);
                    }
                    addCuda(options, resolved); // nodes TensorRT cannot take
                }
                case CUDA -> addCuda(options, resolved);
                case CPU -> { }
                case AUTO -> throw new IllegalArgumentException("resolve the configuration for a provider first");
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static void addCuda(OrtSession.SessionOptions options, RuntimeConfig resolved) throws OrtException {
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(resolved.deviceId())) {
            addAll(cuda::add, GpuProviderOptions.cuda(resolved.deviceId(), resolved.gpu()));
            options.addCUDA(cuda);
        }
    }

    /** {@code add} of ONNX Runtime's CUDA and TensorRT option classes, which share no public type. */
    @FunctionalInterface
    private interface OptionSink {
        void add(String key, String value) throws OrtException;
    }

    private static void addAll(OptionSink target, Map<String, String> options) throws OrtException {
        for (Map.Entry<String, String> e : options.entrySet()) {
            target.add(e.getKey(), e.getValue());
        }
    }

    private static ModelSession create(Path onnx, String inputName, long[] inputShape, RuntimeConfig config,
                                       ExecutionProvider provider, String choice)
            throws OrtException, ModelLoadException {
        OrtEnvironment env = OrtEnvironments.get();
        RuntimeConfig resolved = config.resolvedFor(provider, Runtime.getRuntime().availableProcessors());
        try (OrtSession.SessionOptions options = sessionOptions(resolved, inputName, inputShape)) {
            OrtSession session = env.createSession(onnx.toString(), options);
            if (!session.getInputNames().contains(inputName)) {
                String names = session.getInputNames().toString();
                session.close();
                throw new ModelLoadException("model " + onnx + " has no input '" + inputName + "' named by its card; "
                        + "its inputs are " + names);
            }
            LOG.info("model {}: execution provider {}{}; {}", onnx.getFileName(), provider.id(), choice,
                    describe(config, resolved));
            return new ModelSession(session, resolved, inputName);
        }
    }

    /** The threads, batches in flight and warm-up in use, and which of them were chosen automatically. */
    static String describe(RuntimeConfig asked, RuntimeConfig resolved) {
        String threads = resolved.intraOpThreads() == 0 ? "ONNX Runtime's default intra-op threads"
                : resolved.intraOpThreads() + " intra-op thread(s)";
        return threads + (asked.intraOpThreads() == 0 ? " (auto)" : "") + " per call, " + resolved.batchConcurrency()
                + " batch(es) in flight" + (asked.batchConcurrency() == 0 ? " (auto)" : "") + " on "
                + Runtime.getRuntime().availableProcessors() + " cores (intra.op.threads and batch.concurrency "
                + "override), warm-up batch sizes " + (resolved.warmupSizes().isEmpty() ? "none"
                : resolved.warmupSizes().toString());
    }

    /** The configuration in use, every auto setting resolved. */
    public RuntimeConfig config() {
        return config;
    }

    public ExecutionProvider provider() {
        return config.provider();
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
                // ONNX Runtime copies the native output once into a heap buffer: its array is taken as it is
                FloatBuffer b = t.getFloatBuffer();
                if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
                    return b.array();
                }
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
