package io.emostream.models.emo;

import io.emostream.models.card.ModelCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelZooTest {
    @TempDir
    Path cache;

    @Test
    void builtInNamesAreTheOnesTheIssueLists() {
        assertEquals(java.util.List.of("emo-1m-ssdlite", "emo-2m-ssdlite", "emo-5m-ssdlite", "emo-1m-retinanet",
                "emo-2m-retinanet", "emo-5m-retinanet", "emo-1m-deeplabv3", "emo-2m-deeplabv3", "emo-5m-deeplabv3",
                "emo-1m-pspnet", "emo-2m-pspnet", "emo-5m-pspnet", "emo-1m", "emo-2m", "emo-5m", "emo-6m"),
                java.util.List.copyOf(ModelZoo.builtIns().keySet()));
    }

    @Test
    void aBuiltInIsBuiltOnceIntoTheCacheAndReused() throws Exception {
        ModelZoo zoo = new ModelZoo(cache);
        Path first = zoo.resolve("emo-1m");
        assertEquals(cache.resolve("emo-1m.onnx"), first);
        ModelCard card = ModelCard.read(ModelCard.cardPathFor(first));
        assertEquals(1_361_168L, card.parameters());
        assertEquals(ModelZoo.DEFAULT_SEED, card.weights().seed());
        var built = Files.getLastModifiedTime(first);
        assertEquals(first, new ModelZoo(cache).resolve("emo-1m"));
        assertEquals(built, Files.getLastModifiedTime(first));
        try (var files = Files.list(cache)) {
            assertEquals(2, files.count(), "only the model and its card, no temporary files");
        }
    }

    @Test
    void aModelCachedByAnOlderBuilderIsRebuilt() throws Exception {
        Path onnx = new ModelZoo(cache).resolve("emo-1m");
        Path cardFile = ModelCard.cardPathFor(onnx);
        ModelCard card = ModelCard.read(cardFile);
        new ModelCard(card.name(), "0", card.architecture(), card.task(), card.parameters(), card.input(),
                card.outputs(), card.detection(), card.segmentation(), card.labels(), card.weights()).write(cardFile);
        Files.writeString(onnx, "an older graph");

        Path again = new ModelZoo(cache).resolve("emo-1m");
        assertEquals(EmoModelBuilder.VERSION, ModelCard.read(ModelCard.cardPathFor(again)).version());
        assertTrue(Files.size(again) > 1_000_000, "rebuilt, not the stale file");
    }

    @Test
    void aCachedModelWhoseFileNoLongerMatchesItsCardIsRebuilt() throws Exception {
        Path onnx = new ModelZoo(cache).resolve("emo-1m");
        String recorded = ModelCard.read(ModelCard.cardPathFor(onnx)).onnxSha256();
        Files.write(onnx, new byte[]{0}, java.nio.file.StandardOpenOption.APPEND);

        Path again = new ModelZoo(cache).resolve("emo-1m");
        assertEquals(recorded, io.emostream.models.card.Sha256.of(again), "rebuilt to the same bytes as before");
    }

    @Test
    void pathsPassThroughAndUnknownNamesListTheBuiltIns() throws Exception {
        Path file = Files.writeString(cache.resolve("x.onnx"), "x");
        assertEquals(file, new ModelZoo(cache).resolve(file.toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelZoo(cache).resolve("emo-3m-ssdlite"));
        assertTrue(e.getMessage().contains("emo-1m-ssdlite"), e.getMessage());
    }
}
