package io.emostream.processors;

import io.emostream.models.image.ImageLimits;

/**
 * What the frame processor needs besides its models.
 *
 * @param imageLimits              checked before any pixel is decoded
 * @param maxFrameAgeMs            frames whose capture time is older than this when their turn comes are skipped and
 *                                 counted; 0 turns the check off
 * @param resultTimeoutMs          longest wait for a model's answer before the frame goes to the dead-letter topic;
 *                                 a safety net above the runtime's own request timeout
 * @param deadLetterMaxValueBytes  original values larger than this are left out of dead-letter records (the record
 *                                 says so), so that an over-size frame cannot make the dead-letter write fail
 * @param inFlightMax              most frames of one task submitted to the models and not yet forwarded; 1 answers
 *                                 each frame before the next is read
 */
public record ProcessingSettings(ImageLimits imageLimits, long maxFrameAgeMs, long resultTimeoutMs,
                                 int deadLetterMaxValueBytes, int inFlightMax) {
    public ProcessingSettings {
        if (imageLimits == null) throw new IllegalArgumentException("imageLimits must be set");
        if (maxFrameAgeMs < 0) throw new IllegalArgumentException("maxFrameAgeMs must be >= 0, got " + maxFrameAgeMs);
        if (resultTimeoutMs <= 0) {
            throw new IllegalArgumentException("resultTimeoutMs must be > 0, got " + resultTimeoutMs);
        }
        if (deadLetterMaxValueBytes < 0) {
            throw new IllegalArgumentException("deadLetterMaxValueBytes must be >= 0, got " + deadLetterMaxValueBytes);
        }
        if (inFlightMax < 1) throw new IllegalArgumentException("inFlightMax must be >= 1, got " + inFlightMax);
    }

    /** One frame in flight per task: each is answered before the next is read. */
    public ProcessingSettings(ImageLimits imageLimits, long maxFrameAgeMs, long resultTimeoutMs,
                              int deadLetterMaxValueBytes) {
        this(imageLimits, maxFrameAgeMs, resultTimeoutMs, deadLetterMaxValueBytes, 1);
    }

    /** The same settings with at most {@code frames} frames in flight per task. */
    public ProcessingSettings withInFlightMax(int frames) {
        return new ProcessingSettings(imageLimits, maxFrameAgeMs, resultTimeoutMs, deadLetterMaxValueBytes, frames);
    }

    /**
     * Default image limits, no frame-age check, a 60 s result wait, original values up to 1,000,000 bytes, one frame
     * in flight per task.
     */
    public static ProcessingSettings defaults() {
        return new ProcessingSettings(ImageLimits.DEFAULT, 0, 60_000, 1_000_000);
    }
}
