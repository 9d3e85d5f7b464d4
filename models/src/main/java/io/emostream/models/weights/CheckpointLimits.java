package io.emostream.models.weights;

/**
 * Bounds on what reading one checkpoint may allocate. A checkpoint is untrusted input: every length, count and
 * size it declares is checked against these before memory is taken.
 *
 * @param maxPickleBytes size of the {@code data.pkl} entry
 * @param maxStringBytes one string or bytes object in the pickle
 * @param maxMemoEntries pickle memo entries
 * @param maxStackDepth  values plus marks on the pickle stack
 * @param maxObjects     values the pickle may create in all (containers items included)
 * @param maxDims        dimensions of one tensor
 * @param maxTensorBytes one tensor or storage
 * @param maxTotalBytes  all storages and tensors read together
 */
public record CheckpointLimits(long maxPickleBytes, int maxStringBytes, int maxMemoEntries, int maxStackDepth,
                               long maxObjects, int maxDims, long maxTensorBytes, long maxTotalBytes) {

    /** Generous for any EMO model (the largest holds about 40 MB of weights), small enough to fail cleanly. */
    public static final CheckpointLimits DEFAULT = new CheckpointLimits(
            64L << 20, 16 << 20, 1 << 20, 1 << 20, 4_000_000L, 16, Integer.MAX_VALUE - 8L, 2L << 30);

    public CheckpointLimits withMaxTotalBytes(long bytes) {
        return new CheckpointLimits(maxPickleBytes, maxStringBytes, maxMemoEntries, maxStackDepth, maxObjects,
                maxDims, Math.min(maxTensorBytes, bytes), bytes);
    }
}
