package io.emostream.models.runtime;

import java.util.Arrays;
import java.util.Locale;

/** Which ONNX Runtime execution provider runs the model. */
public enum ExecutionProvider {
    /** CUDA if its libraries load, else CPU; the choice and the reason are logged at INFO */
    AUTO,
    /** CUDA or fail at start-up */
    CUDA,
    /** TensorRT (with CUDA for unsupported nodes) or fail at start-up */
    TENSORRT,
    /** the CPU provider, always available */
    CPU;

    /** Case-insensitive; a clear error lists the accepted values. */
    public static ExecutionProvider parse(String text) {
        if (text != null) {
            for (ExecutionProvider p : values()) {
                if (p.name().equalsIgnoreCase(text.trim())) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown execution provider '" + text + "'; use one of "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }

    /** The name reported by {@link Predictor#executionProvider()}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
