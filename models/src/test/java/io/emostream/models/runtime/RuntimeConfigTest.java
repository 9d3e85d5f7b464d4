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
                () -> RuntimeConfig.defaults().withMaxBatch(0));
        assertTrue(e.getMessage().startsWith("maxBatch"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.defaults().withRequestTimeoutMs(0));
        assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.defaults().withMaxWaitMs(-1));
        assertEquals(16, RuntimeConfig.defaults().withMaxBatch(16).maxBatch());
    }

    @Test
    void autoBatchConcurrencyGivesEachNarrowCpuCallItsCoresAndAGpuOneBatch() {
        RuntimeConfig auto = RuntimeConfig.defaults();
        assertEquals(1, auto.batchConcurrencyOn(ExecutionProvider.CPU, 8), "ORT's default threads take every core");
        assertEquals(8, auto.withIntraOpThreads(1).batchConcurrencyOn(ExecutionProvider.CPU, 8));
        assertEquals(2, auto.withIntraOpThreads(3).batchConcurrencyOn(ExecutionProvider.CPU, 8));
        assertEquals(1, auto.withIntraOpThreads(4).batchConcurrencyOn(ExecutionProvider.CPU, 2));
        assertEquals(1, auto.withIntraOpThreads(1).batchConcurrencyOn(ExecutionProvider.CUDA, 8));
        assertEquals(3, auto.withBatchConcurrency(3).batchConcurrencyOn(ExecutionProvider.CUDA, 8));
        assertThrows(IllegalArgumentException.class, () -> auto.withBatchConcurrency(-1));
    }
}
