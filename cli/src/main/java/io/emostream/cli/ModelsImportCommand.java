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
import java.util.List;
import java.util.concurrent.Callable;

/** {@code emostream models import}: an EMO model with the trained weights of a PyTorch checkpoint. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Write <name>.onnx and <name>.card.json with the trained weights of a PyTorch checkpoint"
                + " (torch.save, PyTorch 1.6 or later).",
                "Takes the authors' ImageNet checkpoints (--task classification), mmdetection checkpoints of the"
                        + " SSDLite and RetinaNet heads (--task detection) and mmsegmentation checkpoints of the"
                        + " DeepLabv3 and PSPNet heads (--task segmentation); without --head, the head the"
                        + " checkpoint's names say. Every graph parameter must get a tensor of its shape and every"
                        + " tensor must be used, except training-only ones (mmsegmentation's auxiliary head),"
                        + " which are left out and listed."})
final class ModelsImportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "the .pth file")
    Path checkpoint;

    @Mixin
    EmoGraphOptions graph;

    @Option(names = "--classes", description = "classes of the head (default: read from the checkpoint)")
    Integer classes;

    @Override
    public Integer call() throws Exception {
        ModelsCommand.usage(graph::defaults); // a bad --arch, --task or --head before the checkpoint is read
        Checkpoint read = checkpointUsage(() -> Checkpoint.read(checkpoint));
        ModelSpec defaults = ModelsCommand.usage(() -> graph.defaults(StateDictMatcher.head(read.stateDict())));
        ModelSpec spec = ModelsCommand.usage(() -> graph.shaped(defaults.withClasses(classes != null ? classes
                : StateDictMatcher.classes(read.stateDict(), defaults.head()).orElse(defaults.classes()))));
        BuiltModel model = checkpointUsage(() -> new WeightImporter(new EmoModelBuilder())
                .importInto(read, spec, graph.out));
        System.out.println(ModelsCommand.wrote(model, spec) + " (sha256 " + read.sha256() + ")");
        List<String> dropped = StateDictMatcher.trainingOnly(read.stateDict());
        if (!dropped.isEmpty()) {
            System.out.println("left out " + dropped.size() + " training-only tensors (auxiliary_head.*, used only in"
                    + " training): " + String.join(", ", dropped));
        }
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
