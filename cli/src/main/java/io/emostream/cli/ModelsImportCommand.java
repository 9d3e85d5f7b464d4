package io.emostream.cli;

import io.emostream.models.emo.BuiltModel;
import io.emostream.models.emo.EmoModelBuilder;
import io.emostream.models.emo.ModelSpec;
import io.emostream.models.weights.Checkpoint;
import io.emostream.models.weights.InvalidCheckpointException;
import io.emostream.models.weights.StateDictMatcher;
import io.emostream.models.weights.WeightImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
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

    @Mixin
    EmoGraphOptions graph;

    @Option(names = "--classes", description = "classes of the head (default: read from the checkpoint)")
    Integer classes;

    @Override
    public Integer call() throws Exception {
        ModelSpec defaults = ModelsCommand.usage(graph::defaults);
        Checkpoint read = checkpointUsage(() -> Checkpoint.read(checkpoint));
        ModelSpec spec = ModelsCommand.usage(() -> graph.shaped(defaults.withClasses(classes != null ? classes
                : StateDictMatcher.classes(read.stateDict(), defaults.task()).orElse(defaults.classes()))));
        BuiltModel model = checkpointUsage(() -> new WeightImporter(new EmoModelBuilder())
                .importInto(read, spec, graph.out));
        System.out.println(ModelsCommand.wrote(model, spec) + " (sha256 " + read.sha256() + ")");
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
