package io.emostream.models.weights;

import io.emostream.models.card.ModelCard.WeightsProvenance;
import io.emostream.models.emo.BuiltModel;
import io.emostream.models.emo.EmoArch;
import io.emostream.models.emo.EmoModelBuilder;
import io.emostream.models.emo.ModelSpec;
import io.emostream.models.emo.ParameterSet;
import io.emostream.models.emo.ParameterSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an EMO model with trained weights: every graph parameter gets the checkpoint tensor of its name, every
 * checkpoint tensor is used (both checked by {@link StateDictMatcher}), and the card names the checkpoint and its
 * SHA-256 as the weights' source.
 */
public final class WeightImporter {
    /** Output projection of the first stage-4 block: its rows are the stage-4 width. */
    private static final String STAGE4_PROJECTION = "stage4.0.proj.conv.weight";

    private final EmoModelBuilder builder;

    public WeightImporter(EmoModelBuilder builder) {
        this.builder = builder;
    }

    /**
     * @throws WeightMismatchException when the checkpoint's tensors do not fit {@code spec}'s graph
     */
    public BuiltModel importInto(Checkpoint checkpoint, ModelSpec spec, Path outDir) throws IOException {
        Map<String, long[]> expected = new LinkedHashMap<>();
        for (ParameterSpec p : builder.parameterSpecs(spec)) {
            expected.put(p.name(), p.shape());
        }
        Map<String, float[]> values;
        try {
            values = StateDictMatcher.match(checkpoint.stateDict(), expected, checkpoint.fileName());
        } catch (WeightMismatchException e) {
            throw e.withHint(hint(checkpoint.stateDict(), spec));
        }
        ParameterSet params = new ParameterSet();
        values.forEach((name, data) -> params.put(name, expected.get(name), data));
        return builder.build(spec, params, provenance(checkpoint), outDir);
    }

    /** The flags to change: --arch from the backbone's stage-4 width (unique per size), then task, head, classes. */
    static String hint(StateDict stateDict, ModelSpec spec) {
        List<String> hints = new ArrayList<>();
        stateDict.tensors().entrySet().stream()
                .filter(e -> StateDictMatcher.graphName(e.getKey()).equals(STAGE4_PROJECTION))
                .map(e -> e.getValue().shape())
                .filter(shape -> shape.length > 0)
                .flatMap(shape -> Arrays.stream(EmoArch.values()).filter(a -> a.width(4) == shape[0]))
                .filter(a -> a != spec.arch())
                .findFirst()
                .ifPresent(a -> hints.add("it holds " + a.id() + " weights (--arch " + a.id() + ")"));
        String head = StateDictMatcher.hint(stateDict, spec.head(), spec.classes());
        if (head != null) {
            hints.add(head);
        }
        return hints.isEmpty() ? null : String.join("; ", hints);
    }

    static WeightsProvenance provenance(Checkpoint checkpoint) {
        String key = checkpoint.stateDict().wrapperKey();
        return new WeightsProvenance(true, "checkpoint", null, checkpoint.fileName(), checkpoint.sha256(),
                "trained weights imported from " + checkpoint.fileName() + (key == null ? "" : " ['" + key + "']"));
    }
}
