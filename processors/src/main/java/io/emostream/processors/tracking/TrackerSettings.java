package io.emostream.processors.tracking;

/**
 * What the per-camera tracker does. The {@link #defaults()} were chosen on synthetic scenes of people and vehicles
 * at 25 frames/s; the motion model works in capture time, and {@code maxLostMs} bounds a lost track's life at any
 * frame rate.
 *
 * @param highScore            detections scoring at least this are matched first, against every live track, and
 *                             start new tracks when unmatched (default 0.5)
 * @param lowScore             detections scoring at least this but under {@code highScore} are matched second,
 *                             against the tracks left over, and never start a track; lower scores are ignored
 *                             (default 0.1)
 * @param highMatchIou         least IoU between a track's predicted box and a high-score detection for a match
 *                             (default 0.2)
 * @param lowMatchIou          least IoU for a low-score match; stricter, as low scores are often false positives
 *                             (default 0.5)
 * @param confirmHits          matches in a row from its start after which a track is confirmed and emitted; a
 *                             tentative track is dropped at its first miss (default 3)
 * @param maxMisses            a confirmed track ends after this many frames in a row without a match (default 30)
 * @param maxLostMs            a confirmed track also ends when its last match is more than this much capture time
 *                             before the frame, whatever the frame count: this bounds gaps in the input (default
 *                             2000)
 * @param maxTracks            most live tracks per camera; unmatched detections start no track beyond it, which
 *                             bounds the state (default 256)
 * @param measurementNoise     standard deviation of a detected box coordinate, as a fraction of the box size
 *                             ((width + height) / 2) (default 0.05)
 * @param accelerationNoise    standard deviation of the white-noise acceleration of a box coordinate, box sizes per
 *                             second squared: how quickly objects may change speed (default 2)
 * @param initialVelocityNoise standard deviation of a new track's unknown velocity, box sizes per second (default 1)
 */
public record TrackerSettings(double highScore, double lowScore, double highMatchIou, double lowMatchIou,
                              int confirmHits, int maxMisses, long maxLostMs, int maxTracks,
                              double measurementNoise, double accelerationNoise, double initialVelocityNoise) {
    public TrackerSettings {
        requireFraction("highScore", highScore);
        requireFraction("lowScore", lowScore);
        if (lowScore > highScore) {
            throw new IllegalArgumentException("lowScore (" + lowScore + ") must not exceed highScore ("
                    + highScore + ")");
        }
        requireFraction("highMatchIou", highMatchIou);
        requireFraction("lowMatchIou", lowMatchIou);
        requireAtLeastOne("confirmHits", confirmHits);
        requireAtLeastOne("maxMisses", maxMisses);
        requireAtLeastOne("maxLostMs", maxLostMs);
        requireAtLeastOne("maxTracks", maxTracks);
        requirePositive("measurementNoise", measurementNoise);
        requirePositive("accelerationNoise", accelerationNoise);
        requirePositive("initialVelocityNoise", initialVelocityNoise);
    }

    public static TrackerSettings defaults() {
        return new TrackerSettings(0.5, 0.1, 0.2, 0.5, 3, 30, 2_000, 256, 0.05, 2, 1);
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, got " + value);
        }
    }

    private static void requireAtLeastOne(String name, long value) {
        if (value < 1) throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + value);
        }
    }
}
