package io.emostream.bench.jmh;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.emostream.models.card.ModelCard;
import io.emostream.models.emo.ModelZoo;
import io.emostream.models.runtime.OrtEnvironments;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Images per second of one ONNX Runtime session (CPU provider, all graph optimisations, by default one intra-op
 * thread per available processor) on a built-in model: the {@code images} counter is the figure to read. Models come from the model cache
 * ({@code $EMOSTREAM_MODEL_CACHE} or ~/.cache/emostream/models), built on first use.
 *
 * <pre>java -cp ... org.openjdk.jmh.Main SessionBenchmark -p model=emo-1m -p batch=1,8</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgs = "-Xmx2g")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class SessionBenchmark {
    @Param({"emo-1m"})
    public String model;

    @Param({"1", "8"})
    public int batch;

    /** Intra-op threads; 0 means one per available processor. */
    @Param({"0"})
    public int threads;

    private OrtEnvironment env;
    private OrtSession session;
    private OnnxTensor input;
    private String inputName;

    /** Counts images, so JMH reports images per second next to calls per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Images {
        public long images;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path onnx = new ModelZoo().resolve(model);
        ModelCard card = ModelCard.read(ModelCard.cardPathFor(onnx));
        env = OrtEnvironments.get();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            session = env.createSession(onnx.toString(), options);
        }
        long[] shape = card.input().shape().clone();
        shape[0] = batch;
        int n = Math.toIntExact(shape[0] * shape[1] * shape[2] * shape[3]);
        FloatBuffer data = FloatBuffer.allocate(n);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            data.put((float) random.nextGaussian());
        }
        data.flip();
        input = OnnxTensor.createTensor(env, data, shape);
        inputName = card.input().name();
    }

    @Benchmark
    public void run(Images counter) throws OrtException {
        try (OrtSession.Result result = session.run(Map.of(inputName, input))) {
            counter.images += batch;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        input.close();
        session.close();
    }
}
