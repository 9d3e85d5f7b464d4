package io.emostream.models.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuntimeConfigTest {
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
        assertEquals(new RuntimeConfig(ExecutionProvider.AUTO, 0, 0, 8, 5, 10_000, 0, 0), defaults);
        assertEquals(defaults, RuntimeConfig.defaults());

        RuntimeConfig custom = RuntimeConfig.builder().provider(ExecutionProvider.CPU).deviceId(1).intraOpThreads(2)
                .maxBatch(4).maxWaitMs(7).requestTimeoutMs(500).maskMaxSide(64).batchConcurrency(3).build();
        assertEquals(new RuntimeConfig(ExecutionProvider.CPU, 1, 2, 4, 7, 500, 64, 3), custom);
        assertEquals(custom, custom.toBuilder().build());
        assertEquals(new RuntimeConfig(ExecutionProvider.CPU, 1, 2, 16, 7, 500, 64, 3),
                custom.toBuilder().maxBatch(16).build());
    }

    @Test
    void theBuilderRefusesAMissingProviderOnBuild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.builder().provider(null).build());
        assertTrue(e.getMessage().contains("provider"), e.getMessage());
    }

    @Test
    void autoBatchConcurrencyGivesEachNarrowCpuCallItsCoresAndAGpuOneBatch() {
        RuntimeConfig auto = RuntimeConfig.defaults();
        assertEquals(1, auto.batchConcurrencyOn(ExecutionProvider.CPU, 8), "ORT's default threads take every core");
        assertEquals(8, auto.toBuilder().intraOpThreads(1).build().batchConcurrencyOn(ExecutionProvider.CPU, 8));
        assertEquals(2, auto.toBuilder().intraOpThreads(3).build().batchConcurrencyOn(ExecutionProvider.CPU, 8));
        assertEquals(1, auto.toBuilder().intraOpThreads(4).build().batchConcurrencyOn(ExecutionProvider.CPU, 2));
        assertEquals(1, auto.toBuilder().intraOpThreads(1).build().batchConcurrencyOn(ExecutionProvider.CUDA, 8));
        assertEquals(3, auto.toBuilder().batchConcurrency(3).build().batchConcurrencyOn(ExecutionProvider.CUDA, 8));
        assertThrows(IllegalArgumentException.class, () -> auto.toBuilder().batchConcurrency(-1).build());
    }
}
