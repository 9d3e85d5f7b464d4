package io.emostream.models.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;

/**
 * The JVM's one {@link OrtEnvironment}, created on a thread with a large stack. Loading ONNX Runtime's native library
 * crashes the JVM (SIGSEGV, no error file) on a default 1 MiB thread stack when the command line carries a long
 * {@code -cp}, as applications embedding the plugin often do; a 64 MiB stack is enough with room to spare.
 * <p>ONNX Runtime's own log is limited to FATAL: probing for CUDA on a machine without it otherwise prints a red
 * ERROR line although the fallback to CPU is expected (and logged by {@link ModelSession} with the reason). Every
 * failure still reaches the caller as an exception with ORT's message. {@code EMOSTREAM_DEBUG=1} restores WARNING.
 * <p>The native libraries load from a cache, not the temporary directory: see {@link NativeLibraries}.
 */
public final class OrtEnvironments {
    private static final long INIT_STACK_BYTES = 64L << 20;
    private static volatile OrtEnvironment environment;

    private OrtEnvironments() { }

    public static OrtEnvironment get() {
        OrtEnvironment env = environment;
        if (env != null) {
            return env;
        }
        synchronized (OrtEnvironments.class) {
            if (environment == null) {
                OrtEnvironment[] created = new OrtEnvironment[1];
                Throwable[] failure = new Throwable[1];
                Thread init = new Thread(null, () -> {
                    try {
                        NativeLibraries.beforeLoading();
                        created[0] = OrtEnvironment.getEnvironment("1".equals(System.getenv("EMOSTREAM_DEBUG"))
                                ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING : OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
                        NativeLibraries.afterLoading();
                    } catch (Throwable t) {
                        failure[0] = t;
                    }
                }, "onnxruntime-init", INIT_STACK_BYTES);
                init.start();
                try {
                    init.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while loading ONNX Runtime", e);
                }
                if (failure[0] != null) {
                    throw new IllegalStateException("cannot load ONNX Runtime: " + failure[0].getMessage(), failure[0]);
                }
                environment = created[0];
            }
            return environment;
        }
    }
}
