package io.emostream.models.card;

import io.emostream.models.image.FrameMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputPipelineCardTest {
    @TempDir
    Path dir;

    /** A card whose input is RGB, mean 0, std 1, {@code side} square, with {@code resize} and the extra fields. */
    private ModelCard read(int side, String resize, String extra) throws Exception {
        Path file = dir.resolve("m.card.json");
        Files.writeString(file, "{\"name\": \"m\", \"version\": \"1\", \"task\": \"SEGMENTATION\", \"input\": "
                + "{\"name\": \"x\", \"shape\": [-1, 3, " + side + ", " + side + "], \"layout\": \"NCHW\", "
                + "\"colorOrder\": \"RGB\", \"mean\": [0, 0, 0], \"std\": [1, 1, 1], \"resize\": \"" + resize
                + "\", \"padValue\": 0" + extra + "}}");
        return ModelCard.read(file);
    }

    @Test
    void aCardWrittenBeforeThePipelineFieldsReadsAsItDidThen() throws Exception {
        ModelCard card = read(512, "STRETCH", "");
        assertFalse(card.input().sizeFollowsFrame());
        assertNull(card.input().fitWithin());
        assertEquals(1, card.input().padDivisor());
        assertNull(card.emoGraph());
        FrameMapping m = FrameMapping.forInput(card.input(), 640, 480);
        assertEquals(512, m.inputWidth());
        assertEquals(0.8, m.scaleX(), 1e-12);
    }

    @Test
    void aFitCardKeepsItsBoundsAndPaddingThroughJson() throws Exception {
        ModelCard card = read(800, "FIT", ", \"fitWithin\": [1333, 800], \"pad\": {\"divisor\": 32, \"value\": 0}");
        assertTrue(card.input().sizeFollowsFrame());
        assertArrayEquals(new int[]{1333, 800}, card.input().fitWithin());
        assertEquals(32, card.input().padDivisor());
        FrameMapping m = FrameMapping.forInput(card.input(), 640, 480);
        assertEquals(1088, m.inputWidth());
        assertEquals(800, m.inputHeight());
        assertEquals(1067.0 / 640, m.scaleX(), 1e-12);
        assertEquals(800.0 / 480, m.scaleY(), 1e-12);
    }

    @Test
    void aFitCardWithoutBoundsIsRefusedSayingWhatItNeeds() throws Exception {
        ModelCard card = read(512, "FIT", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrameMapping.forInput(card.input(), 640, 480));
        assertTrue(e.getMessage().contains("no fitWithin bounds"), e.getMessage());
    }
}
