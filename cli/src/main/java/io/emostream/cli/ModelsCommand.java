package io.emostream.cli;

import io.emostream.models.card.ModelCard;
import io.emostream.models.emo.BuiltModel;
import io.emostream.models.emo.EmoModelBuilder;
import io.emostream.models.emo.ModelDescriber;
import io.emostream.models.emo.ModelSpec;
import io.emostream.models.emo.ModelZoo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code emostream models build|import|describe}: EMO graphs as ONNX files with their model cards. */
@Command(name = "models",
        mixinStandardHelpOptions = true,
        description = "Build EMO models as ONNX graphs, import trained weights and describe ONNX models.",
        subcommands = {ModelsCommand.Build.class, ModelsCommand.Describe.class, ModelsImportCommand.class,
                CommandLine.HelpCommand.class})
public final class ModelsCommand implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Write <name>.onnx and <name>.card.json with seeded, untrained weights.")
    static final class Build implements Callable<Integer> {
        @Mixin
        EmoGraphOptions graph;

        @Option(names = "--classes", description = "number of classes (default 80, 150 or 1000; 0 for "
                + "classification builds the bare backbone)")
        Integer classes;

        @Option(names = "--attn-pre", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "attend before the value expansion, as the released models do (default true)")
        boolean attnPre;

        @Option(names = "--seed", defaultValue = "0", description = "seed of the initial weights (default 0)")
        long seed;

        @Override
        public Integer call() throws Exception {
            ModelSpec spec = usage(() -> {
                ModelSpec s = graph.defaults().withAttnPre(attnPre);
                return graph.shaped(classes == null ? s : s.withClasses(classes));
            });
            EmoModelBuilder builder = new EmoModelBuilder();
            BuiltModel model = usage(() -> builder.build(spec, builder.initialise(spec, seed),
                    ModelCard.WeightsProvenance.seeded(seed), graph.out));
            System.out.println(wrote(model, spec));
            return Main.EXIT_OK;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Print the inputs, outputs and card of an ONNX file or a built-in model "
                    + "(built into the cache on first use).")
    static final class Describe implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL", description = "an .onnx file or a built-in name, e.g. "
                + "emo-1m-ssdlite")
        String model;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Option(names = "--cache-dir", description = "where built-in models are built (default $"
                + ModelZoo.CACHE_ENV + " or ~/.cache/emostream/models)")
        Path cacheDir;

        @Override
        public Integer call() throws Exception {
            ModelZoo zoo = cacheDir == null ? new ModelZoo() : new ModelZoo(cacheDir);
            ModelDescriber.Description d = usage(() -> ModelDescriber.describe(zoo.resolve(model)));
            System.out.print(json ? d.toJson() + System.lineSeparator() : d.toText());
            return Main.EXIT_OK;
        }
    }

    /** What {@code models build} and {@code models import} report of the model they wrote. */
    static String wrote(BuiltModel model, ModelSpec spec) {
        return String.format(Locale.ROOT, "wrote %s and %s: %s, %,d parameters, %s", model.onnxFile(),
                model.cardFile(), spec.description(), model.card().parameters(),
                model.card().weights().description());
    }

    /** Work whose IllegalArgumentException means bad input from the user. */
    interface Work<T> {
        T run() throws Exception;
    }

    /** Runs {@code work}, turning an IllegalArgumentException (bad name, option or file) into exit code 2. */
    static <T> T usage(Work<T> work) throws Exception {
        try {
            return work.run();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }
}
