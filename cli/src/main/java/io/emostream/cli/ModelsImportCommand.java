package io.emostream.cli;

import io.emostream.models.emo.BuiltModel;
import io.emostream.models.emo.EmoArch;
import io.emostream.models.emo.EmoModelBuilder;
import io.emostream.models.emo.ModelSpec;
import io.emostream.models.weights.Checkpoint;
import io.emostream.models.weights.InvalidCheckpointException;
import io.emostream.models.weights.StateDictMatcher;
import io.emostream.models.weights.WeightImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code emostream models import}: an EMO model with the trained weights of a PyTorch checkpoint. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Write <name>.onnx and <name>.card.json with the trained weights of a PyTorch checkpoint"
                + " (torch.save, PyTorch 1.6 or later).",
                "Takes the authors' ImageNet checkpoints (--task classification) and mmdetection / mmsegmentation"
                        + " checkpoints of the SSDLite (--task detection) and DeepLabv3 (--task segmentation) heads."
                        + " Every graph parameter must get a tensor of its shape and every tensor must be used."})
final class ModelsImportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "the .pth file")
    Path checkpoint;

    @Option(names = "--arch", required = true, description = "emo-1m, emo-2m, emo-5m or emo-6m")
    String arch;

    @Option(names = "--task", required = true, description = "classification, detection or segmentation")
    String task;

    @Option(names = "--window", description = "attention window size (default: the authors' for the task)")
    Integer window;

    @Option(names = "--classes", description = "classes of the head (default: read from the checkpoint)")
    Integer classes;

    @Option(names = "--input-size", description = "square input side, a multiple of 32 (default 320, 512 or 224)")
    Integer inputSize;

    @Option(names = "--out", defaultValue = ".", description = "output directory (default: current)")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelSpec defaults = ModelsCommand.usage(() -> ModelSpec.defaults(EmoArch.parse(arch),
                ModelsCommand.Build.parseTask(task)));
        Checkpoint read = checkpointUsage(() -> Checkpoint.read(checkpoint));
        ModelSpec spec = ModelsCommand.usage(() -> {
            ModelSpec s = defaults.withClasses(classes != null ? classes
                    : StateDictMatcher.classes(read.stateDict(), defaults.task()).orElse(defaults.classes()));
            if (window != null) s = s.withWindow(window);
            if (inputSize != null) s = s.withInputSize(inputSize);
            return s;
        });
        BuiltModel model = checkpointUsage(() -> new WeightImporter(new EmoModelBuilder()).importInto(read, spec, out));
        System.out.printf(Locale.ROOT, "wrote %s and %s: %s, %,d parameters, %s (sha256 %s)%n", model.onnxFile(),
                model.cardFile(), spec.description(), model.card().parameters(),
                model.card().weights().description(), read.sha256());
        return Main.EXIT_OK;
    }

    /** A checkpoint that cannot be read or does not fit is bad input: exit 2 with its one-line reason. */
    private static <T> T checkpointUsage(ModelsCommand.Work<T> work) throws Exception {
        try {
            return work.run();
        } catch (InvalidCheckpointException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }
}
