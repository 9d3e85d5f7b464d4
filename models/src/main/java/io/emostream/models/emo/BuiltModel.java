package io.emostream.models.emo;

import io.emostream.models.card.ModelCard;

import java.nio.file.Path;

/** An ONNX file written by {@link EmoModelBuilder}, its card file and the card. */
public record BuiltModel(Path onnxFile, Path cardFile, ModelCard card) { }
