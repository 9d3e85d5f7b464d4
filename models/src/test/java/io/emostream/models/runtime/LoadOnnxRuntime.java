package io.emostream.models.runtime;

/** Loads ONNX Runtime, then stops the JVM without its exit hooks, as {@code kill -9} would. */
public final class LoadOnnxRuntime {
    private LoadOnnxRuntime() { }

    public static void main(String[] args) {
        System.out.println("loaded ONNX Runtime " + OrtEnvironments.get().getVersion());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
