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
}
