package io.emostream.models.weights;

/**
 * A storage named by a pickle persistent id {@code ('storage', type, key, location, numel)}; its bytes live in
 * the archive entry {@code data/<key>}.
 *
 * @param key    archive entry name under {@code data/}
 * @param dtype  element type of a typed storage, null for {@code torch.UntypedStorage} (bytes)
 * @param nbytes size the pickle declares, checked against the archive entry before reading
 */
record StorageRef(String key, DType dtype, long nbytes) { }
