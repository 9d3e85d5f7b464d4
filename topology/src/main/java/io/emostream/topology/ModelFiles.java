package io.emostream.topology;

import io.emostream.models.emo.ModelZoo;
import io.emostream.models.runtime.ModelLoadException;

import java.io.IOException;
import java.nio.file.Path;

/** The model file a setting names: a built-in model (built into the cache on first use) or an .onnx path. */
final class ModelFiles {
    private ModelFiles() { }

    static Path resolve(EmoStreamConfig config, String key) throws ModelLoadException {
        String dir = config.getString(EmoStreamConfig.MODELS_DIR).trim();
        ModelZoo zoo = dir.isEmpty() ? new ModelZoo() : new ModelZoo(Path.of(dir));
        String value = config.getString(key).trim();
        try {
            return zoo.resolve(value);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(key + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException(key + ": cannot build " + value + " into " + zoo.cacheDir() + ": "
                    + e.getMessage(), e);
        }
    }
}
