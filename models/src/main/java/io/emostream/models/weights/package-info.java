/**
 * Trained weights from PyTorch checkpoints: a reader of the {@code torch.save} zip layout whose pickle machine runs
 * nothing, name matching against the graph's reference names, and the importer. Depends on {@code emo} and
 * {@code card}.
 */
package io.emostream.models.weights;
