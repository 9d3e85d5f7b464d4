package io.emostream.models.emo;

import io.emostream.models.card.ModelCard;
import io.emostream.models.card.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in models by name ({@code emo-1m-ssdlite}, {@code emo-2m-retinanet}, {@code emo-5m-deeplabv3},
 * {@code emo-1m-pspnet}, {@code emo-6m}, ...). Each is built
 * with seeded weights on first use into a cache directory and reused afterwards. The cache directory is the
 * constructor's argument, else {@code $EMOSTREAM_MODEL_CACHE}, else {@code ~/.cache/emostream/models}.
 */
public final class ModelZoo {
    public static final String CACHE_ENV = "EMOSTREAM_MODEL_CACHE";
    /** Seed of the built-in models' untrained weights. */
    public static final long DEFAULT_SEED = 0;

    private static final Map<String, ModelSpec> BUILT_INS = builtInSpecs();

    private final Path cacheDir;
    private final EmoModelBuilder builder = new EmoModelBuilder();

    public ModelZoo() {
        this(defaultCacheDir());
    }

    public ModelZoo(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    public static Path defaultCacheDir() {
        String env = System.getenv(CACHE_ENV);
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "emostream", "models");
    }

    /** Built-in names and what they build, in a stable order. */
    public static Map<String, ModelSpec> builtIns() {
        return BUILT_INS;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * A built-in name (built into the cache unless already there) or the path of an existing file.
     *
     * @throws IllegalArgumentException when it is neither
     */
    public Path resolve(String nameOrPath) throws IOException {
        ModelSpec spec = BUILT_INS.get(nameOrPath);
        if (spec != null) {
            return cached(spec);
        }
        Path file = Path.of(nameOrPath);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no model file or built-in model named '" + nameOrPath
                    + "'; built-in models: " + String.join(", ", BUILT_INS.keySet()));
        }
        return file;
    }

    private synchronized Path cached(ModelSpec spec) throws IOException {
        Path onnx = cacheDir.resolve(spec.name() + ".onnx");
        if (Files.isRegularFile(onnx) && builtByThisBuilder(onnx)) {
            return onnx;
        }
        return builder.build(spec, builder.initialise(spec, DEFAULT_SEED),
                ModelCard.WeightsProvenance.seeded(DEFAULT_SEED), cacheDir).onnxFile();
    }

    /**
     * A cached model written by an older builder (another graph revision), or whose file no longer matches the hash
     * its card records, is rebuilt, not reused.
     */
    private static boolean builtByThisBuilder(Path onnx) {
        Path cardFile = ModelCard.cardPathFor(onnx);
        try {
            if (!Files.isRegularFile(cardFile)) {
                return false;
            }
            ModelCard card = ModelCard.read(cardFile);
            return EmoModelBuilder.VERSION.equals(card.version()) && Sha256.of(onnx).equals(card.onnxSha256());
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static Map<String, ModelSpec> builtInSpecs() {
        Map<String, ModelSpec> specs = new LinkedHashMap<>();
        // the authors published downstream configurations for these three sizes only
        for (Head head : new Head[]{Head.SSDLITE, Head.RETINANET, Head.DEEPLABV3, Head.PSPNET}) {
            for (EmoArch arch : new EmoArch[]{EmoArch.EMO_1M, EmoArch.EMO_2M, EmoArch.EMO_5M}) {
                ModelSpec spec = ModelSpec.defaults(arch, head);
                specs.put(spec.name(), spec);
            }
        }
        for (EmoArch arch : EmoArch.values()) {
            ModelSpec spec = ModelSpec.defaults(arch, Head.CLASSIFIER);
            specs.put(spec.name(), spec);
        }
        return Collections.unmodifiableMap(specs);
    }
}
