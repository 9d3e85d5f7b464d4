package io.emostream.cli;

import io.emostream.models.card.ModelCard.Task;
import io.emostream.models.emo.EmoArch;
import io.emostream.models.emo.Head;
import io.emostream.models.emo.ModelSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Which EMO graph to write and where, for {@code models build} and {@code models import}. {@code models import}
 * words {@code --task} in {@code options.properties}.
 */
final class EmoGraphOptions {
    @Option(names = "--arch", required = true, description = "emo-1m, emo-2m, emo-5m or emo-6m")
    String arch;

    @Option(names = "--task", required = true, descriptionKey = "task",
            description = "detection, segmentation or classification (ImageNet head)")
    String task;

    @Option(names = "--head", descriptionKey = "head", description = "ssdlite (default) or retinanet for detection,"
            + " deeplabv3 (default) or pspnet for segmentation")
    String head;

    @Option(names = "--window", description = "attention window size (default: the authors' for the task)")
    Integer window;

    @Option(names = "--input-size", description = "square input side, a multiple of 32 (default: SSDLite 320,"
            + " RetinaNet 800, DeepLabv3 and PSPNet 512, classifier 224)")
    Integer inputSize;

    @Option(names = "--out", defaultValue = ".", description = "output directory (default: current)")
    Path out;

    /**
     * The authors' spec of the architecture for the task and the head named, else the task's first head.
     *
     * @throws IllegalArgumentException for an unknown architecture, task or head, or a head of another task
     */
    ModelSpec defaults() {
        return defaults(Optional.empty());
    }

    /** As {@link #defaults()}, but without {@code --head} the {@code suggested} head when it is one of the task's. */
    ModelSpec defaults(Optional<Head> suggested) {
        Task t = parseTask(task);
        Head h = head != null ? Head.parse(head) : suggested.filter(s -> s.task() == t).orElse(Head.of(t));
        if (h.task() != t) {
            throw new IllegalArgumentException("head '" + head + "' is for " + h.task().name().toLowerCase(Locale.ROOT)
                    + ", not " + t.name().toLowerCase(Locale.ROOT));
        }
        return ModelSpec.defaults(EmoArch.parse(arch), h);
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
