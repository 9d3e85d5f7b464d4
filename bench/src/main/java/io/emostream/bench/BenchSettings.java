package io.emostream.bench;

import io.emostream.models.runtime.RuntimeConfig;

/**
 * What every scenario shares.
 *
 * @param model       built-in model name or .onnx path
 * @param frames      frames measured per configuration and round
 * @param warmup      frames run before measuring, per configuration and round
 * @param repeats     rounds: each measures every configuration once; the median round is reported
 * @param runtime     provider, intra-op threads, batcher limits: the same for the bare session and the pipeline
 * @param frameWidth  width of the synthetic JPEG frames
 * @param frameHeight height of the synthetic JPEG frames
 */
public record BenchSettings(String model, int frames, int warmup, int repeats, RuntimeConfig runtime,
                            int frameWidth, int frameHeight) {
    public BenchSettings {
        require(frames >= 1 && frames <= 100_000, "--frames must be 1..100000, got " + frames);
        require(warmup >= 0 && warmup <= 100_000, "--warmup must be 0..100000, got " + warmup);
        require(repeats >= 1 && repeats <= 100, "--repeats must be 1..100, got " + repeats);
        require(frameWidth >= 16 && frameWidth <= 4096 && frameHeight >= 16 && frameHeight <= 4096,
                "--frame-size must be 16x16 to 4096x4096, got " + frameWidth + "x" + frameHeight);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
