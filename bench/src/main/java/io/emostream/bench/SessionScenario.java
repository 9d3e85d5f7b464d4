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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ceiling: the bare ONNX Runtime session, inputs already in a tensor that is reused, nothing else. Opened with
 * the options the runtime's {@code ModelSession} uses (graph optimisation ALL, the same intra-op threads and
 * provider, resolved the same way), and called from as many threads at once as the runtime's batcher runs batches
 * ({@code batch.concurrency}), so that the other scenarios are compared with the same engine used the same way.
 */
public final class SessionScenario implements AutoCloseable {
    /** Largest input tensor it allocates: 1 GiB of floats. */
    private static final long MAX_INPUT_FLOATS = 1L << 28;

    private final OrtEnvironment env = OrtEnvironments.get();
    private final BenchModel model;
    private final BenchSettings settings;
    private final OrtSession session;
    private final RuntimeConfig resolved;

    private SessionScenario(BenchModel model, BenchSettings settings, OrtSession session, RuntimeConfig resolved) {
        this.model = model;
        this.settings = settings;
        this.session = session;
        this.resolved = resolved;
    }

    /**
     * Frames per second and the time per call at a batch size (calls overlap when several run at once).
     *
     * @param framesMeasured frames run in the measured pass (a whole number of batches)
     * @param cpuMsPerFrame   CPU time of the calling threads per frame of the measured pass
     * @param load            1-minute load average of the machine when it was measured
     */
    public record Row(int batch, double fps, double msPerBatch, int framesMeasured, double cpuMsPerFrame,
                      double load) { }

    /** Names of the threads that call the session. */
    private static final String CALLERS = "emostream-bench-session-";

    public static SessionScenario open(BenchModel model, BenchSettings settings) throws OrtException {
        RuntimeConfig config = settings.runtime();
        ExecutionProvider wanted = config.provider();
        if (wanted == ExecutionProvider.AUTO) {
            try {
                return create(model, settings, ExecutionProvider.CUDA);
            } catch (OrtException e) {
                wanted = ExecutionProvider.CPU;
            }
        }
        try {
            return create(model, settings, wanted);
        } catch (OrtException e) {
            if (wanted == ExecutionProvider.CPU) {
                throw e;
            }
            throw new IllegalStateException("execution provider " + wanted.id() + " cannot load (" + e.getMessage()
                    .strip() + "); it needs an NVIDIA GPU with the CUDA 12, cuBLAS and cuDNN 9 libraries on the host, "
                    + "or use --provider cpu or auto", e);
        }
    }

    private static SessionScenario create(BenchModel model, BenchSettings settings, ExecutionProvider provider)
            throws OrtException {
        RuntimeConfig resolved = settings.runtime().resolvedFor(provider, Runtime.getRuntime().availableProcessors());
        try (OrtSession.SessionOptions options = ModelSession.sessionOptions(resolved, model.card().input().name(),
                model.card().input().shape())) {
            return new SessionScenario(model, settings,
                    OrtEnvironments.get().createSession(model.onnx().toString(), options), resolved);
        }
    }

    /** The execution provider the session runs on: cuda, tensorrt or cpu. */
    public String provider() {
        return resolved.provider().id();
    }

    /** The configuration it runs with, every auto setting resolved as the runtime resolves it. */
    public RuntimeConfig resolved() {
        return resolved;
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
        int callers = resolved.batchConcurrency();
        int calls = Math.max(1, (settings.frames() + batch - 1) / batch);
        int warmupCalls = (settings.warmup() + batch - 1) / batch;
        List<OnnxTensor> inputs = new ArrayList<>();
        AtomicInteger ids = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(callers, r -> new Thread(r, CALLERS + ids.incrementAndGet()));
        double seconds;
        double cpuMs;
        try {
            for (int i = 0; i < callers; i++) {
                inputs.add(OnnxTensor.createTensor(env, randomInput(floats, i), shape));
            }
            runConcurrently(pool, inputs, warmupCalls);
            double cpuFrom = MachineState.threadsCpuMs(CALLERS);
            long start = System.nanoTime();
            runConcurrently(pool, inputs, calls);
            seconds = (System.nanoTime() - start) / 1e9;
            cpuMs = MachineState.threadsCpuMs(CALLERS) - cpuFrom;
        } finally {
            pool.shutdownNow();
            inputs.forEach(OnnxTensor::close);
        }
        return new Row(batch, calls * (double) batch / seconds, seconds * 1000 * callers / calls, calls * batch,
                cpuMs / (calls * batch),
                MachineState.loadAverage());
    }

    private static FloatBuffer randomInput(long floats, int seed) {
        FloatBuffer data = ByteBuffer.allocateDirect(Math.toIntExact(floats * Float.BYTES))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        SplittableRandom random = new SplittableRandom(seed + 1);
        while (data.hasRemaining()) {
            data.put((float) random.nextGaussian());
        }
        return data.rewind();
    }

    /** {@code calls} session calls shared out among the callers, each on its own input, all at once. */
    private void runConcurrently(ExecutorService pool, List<OnnxTensor> inputs, int calls) throws OrtException {
        AtomicInteger left = new AtomicInteger(calls);
        List<Future<?>> running = new ArrayList<>();
        for (OnnxTensor input : inputs) {
            Map<String, OnnxTensor> feed = Map.of(model.card().input().name(), input);
            running.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    runOnce(feed);
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OrtException ort) {
                throw ort;
            }
            throw new IllegalStateException("session call failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the session", e);
        }
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
