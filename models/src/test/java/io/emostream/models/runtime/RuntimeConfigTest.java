package io.emostream.models.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuntimeConfigTest {
    private static final GpuSettings FP32 = new GpuSettings(false, false, "/engines", 2,
            GpuSettings.ConvAlgoSearch.HEURISTIC, GpuSettings.ArenaExtendStrategy.SAME_AS_REQUESTED, 1L << 30);
    @Test
    void providerNamesParseCaseInsensitivelyAndUnknownOnesSayWhatIsAccepted() {
        assertEquals(ExecutionProvider.TENSORRT, ExecutionProvider.parse(" TensorRT "));
        assertEquals(ExecutionProvider.CPU, ExecutionProvider.parse("cpu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutionProvider.parse("gpu"));
        assertTrue(e.getMessage().contains("'gpu'") && e.getMessage().contains("cuda"), e.getMessage());
    }

    @Test
    void outOfRangeSettingsAreRefusedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.builder().maxBatch(0).build());
        assertTrue(e.getMessage().startsWith("maxBatch"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.builder().requestTimeoutMs(0).build());
        assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.builder().maxWaitMs(-1).build());
        assertEquals(16, RuntimeConfig.builder().maxBatch(16).build().maxBatch());
    }

    @Test
    void theBuilderStartsFromTheDefaultsAndToBuilderChangesOnlyWhatIsSet() {
        RuntimeConfig defaults = RuntimeConfig.builder().build();
        assertEquals(new RuntimeConfig(ExecutionProvider.AUTO, 0, 0, 8, 5, 10_000, 0, 0, GpuSettings.DEFAULTS,
                List.of()), defaults);
        assertEquals(defaults, RuntimeConfig.defaults());

        RuntimeConfig custom = RuntimeConfig.builder().provider(ExecutionProvider.CPU).deviceId(1).intraOpThreads(2)
                .maxBatch(4).maxWaitMs(7).requestTimeoutMs(500).maskMaxSide(64).batchConcurrency(3).gpu(FP32)
                .warmupBatchSizes(List.of(1, 4)).build();
        assertEquals(new RuntimeConfig(ExecutionProvider.CPU, 1, 2, 4, 7, 500, 64, 3, FP32, List.of(1, 4)), custom);
        assertEquals(custom, custom.toBuilder().build());
        assertEquals(new RuntimeConfig(ExecutionProvider.CPU, 1, 2, 16, 7, 500, 64, 3, FP32, List.of(1, 4)),
                custom.toBuilder().maxBatch(16).build());
    }

    @Test
    void theBuilderRefusesAMissingProviderOnBuild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.builder().provider(null).build());
        assertTrue(e.getMessage().contains("provider"), e.getMessage());
    }

    @Test
    void autoThreadsSplitTheCpuCoresIntoUpToFourNarrowCallsAndAGpuRunsOneBatch() {
        RuntimeConfig auto = RuntimeConfig.defaults();
        assertResolved(1, 2, auto.resolvedFor(ExecutionProvider.CPU, 2));
        assertResolved(1, 1, auto.resolvedFor(ExecutionProvider.CPU, 1));
        assertResolved(1, 4, auto.resolvedFor(ExecutionProvider.CPU, 4));
        assertResolved(4, 4, auto.resolvedFor(ExecutionProvider.CPU, 16));
        assertResolved(0, 1, auto.resolvedFor(ExecutionProvider.CUDA, 16)); // ORT's default for the CPU nodes
    }

    @Test
    void aSetThreadCountOrBatchConcurrencyIsKeptAndTheOtherFilledFromTheCores() {
        RuntimeConfig auto = RuntimeConfig.defaults();
        assertResolved(1, 8, auto.toBuilder().intraOpThreads(1).build().resolvedFor(ExecutionProvider.CPU, 8));
        assertResolved(3, 2, auto.toBuilder().intraOpThreads(3).build().resolvedFor(ExecutionProvider.CPU, 8));
        assertResolved(4, 1, auto.toBuilder().intraOpThreads(4).build().resolvedFor(ExecutionProvider.CPU, 2));
        assertResolved(4, 2, auto.toBuilder().batchConcurrency(2).build().resolvedFor(ExecutionProvider.CPU, 8));
        assertResolved(2, 3, auto.toBuilder().intraOpThreads(2).batchConcurrency(3).build()
                .resolvedFor(ExecutionProvider.CPU, 8));
        assertResolved(0, 3, auto.toBuilder().batchConcurrency(3).build().resolvedFor(ExecutionProvider.TENSORRT, 8));
        assertThrows(IllegalArgumentException.class, () -> auto.toBuilder().batchConcurrency(-1).build());
        assertThrows(IllegalArgumentException.class, () -> auto.resolvedFor(ExecutionProvider.AUTO, 2));
    }

    @Test
    void autoWarmUpCoversEveryPowerOfTwoAndTheLargestBatchOnAGpuAndBatchOneOnTheCpu() {
        RuntimeConfig twelve = RuntimeConfig.builder().maxBatch(12).build();
        assertEquals(List.of(1, 2, 4, 8, 12), twelve.resolvedFor(ExecutionProvider.CUDA, 2).warmupSizes());
        assertEquals(List.of(1, 2, 4, 8, 16), twelve.toBuilder().maxBatch(16).build()
                .resolvedFor(ExecutionProvider.TENSORRT, 2).warmupSizes());
        assertEquals(List.of(1), twelve.resolvedFor(ExecutionProvider.CPU, 2).warmupSizes());
        assertEquals(List.of(3, 5), twelve.toBuilder().warmupBatchSizes(List.of(3, 5)).build()
                .resolvedFor(ExecutionProvider.CUDA, 2).warmupSizes());
        assertEquals(List.of(), twelve.toBuilder().warmupBatchSizes(List.of(0)).build()
                .resolvedFor(ExecutionProvider.CUDA, 2).warmupSizes(), "0 turns the warm-up off");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> twelve.toBuilder().warmupBatchSizes(List.of(1, 13)).build());
        assertTrue(e.getMessage().startsWith("warmupBatchSizes") && e.getMessage().contains("12"), e.getMessage());
    }

    private static void assertResolved(int threads, int batches, RuntimeConfig resolved) {
        assertEquals(threads, resolved.intraOpThreads(), "intra-op threads");
        assertEquals(batches, resolved.batchConcurrency(), "batches in flight");
    }
}
