package io.emostream.cli;

import io.emostream.models.card.ModelCard.Task;
import io.emostream.models.emo.EmoArch;
import io.emostream.models.emo.ModelSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Which EMO graph to write and where, for {@code models build} and {@code models import}. {@code models import}
 * words {@code --task} in {@code options.properties}.
 */
final class EmoGraphOptions {
    @Option(names = "--arch", required = true, description = "emo-1m, emo-2m, emo-5m or emo-6m")
    String arch;

    @Option(names = "--task", required = true, descriptionKey = "task",
            description = "detection (SSDLite), segmentation (DeepLabv3) or classification (ImageNet head)")
    String task;

    @Option(names = "--window", description = "attention window size (default: the authors' for the task)")
    Integer window;

    @Option(names = "--input-size", description = "square input side, a multiple of 32 (default 320, 512 or 224)")
    Integer inputSize;

    @Option(names = "--out", defaultValue = ".", description = "output directory (default: current)")
    Path out;

    /**
     * The authors' spec of the architecture for the task.
     *
     * @throws IllegalArgumentException for an unknown architecture or task
     */
    ModelSpec defaults() {
        return ModelSpec.defaults(EmoArch.parse(arch), parseTask(task));
    }

    /** {@code spec} with the window and input size given. */
    ModelSpec shaped(ModelSpec spec) {
        ModelSpec s = spec;
        if (window != null) s = s.withWindow(window);
        if (inputSize != null) s = s.withInputSize(inputSize);
        return s;
    }

    private static Task parseTask(String task) {
        return switch (task.toLowerCase(Locale.ROOT)) {
            case "detection" -> Task.DETECTION;
            case "segmentation" -> Task.SEGMENTATION;
            case "classification" -> Task.CLASSIFICATION;
            default -> throw new IllegalArgumentException("unknown task '" + task
                    + "'; valid: detection, segmentation, classification");
        };
    }
}
