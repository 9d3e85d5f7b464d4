/**
 * The EMO networks written as ONNX graphs (docs/MODELS.md): architectures, specs, the builder, seeded weights and
 * the zoo of built-in models. Depends on {@code graph} and {@code card}; never on the runtime or Kafka.
 */
package io.emostream.models.emo;
