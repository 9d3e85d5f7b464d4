/**
 * Model cards: the JSON beside each ONNX file that says what the model takes and gives and where its weights came
 * from, so the runtime hard-codes nothing about a network. Depends on Jackson only.
 */
package io.emostream.models.card;
