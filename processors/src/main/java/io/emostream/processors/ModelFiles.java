package io.emostream.processors;

import org.apache.kafka.common.config.ConfigException;

import java.nio.file.Path;

/** Where the model named by a setting lives: a path to an .onnx file as given, or a built-in model. */
final class ModelFiles {
    private ModelFiles() { }

    static Path resolve(EmoStreamConfig config, String key) {
        String value = config.getString(key).trim();
        if (value.endsWith(".onnx")) return Path.of(value);
        // TODO(processors): built-in names through ModelZoo once it lands on main.
        throw new ConfigException(key, value, "not an .onnx path, and built-in models are not available yet");
    }
}
