package io.emostream.models.emo;

import io.emostream.models.card.ModelCard.Task;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSpecTest {
    @Test
    void archNamesParseAndUnknownNamesListTheValidOnes() {
        assertEquals(EmoArch.EMO_5M, EmoArch.parse("EMO_5M"));
        assertEquals(EmoArch.EMO_1M, EmoArch.parse("emo-1m"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmoArch.parse("emo-3m"));
        assertTrue(e.getMessage().contains("emo-1m, emo-2m, emo-5m, emo-6m"), e.getMessage());
    }

    @Test
    void defaultsFollowTheAuthorsAndNamesCarryNonDefaultOptions() {
        ModelSpec det = ModelSpec.defaults(EmoArch.EMO_5M, Task.DETECTION);
        assertEquals(10, det.window());
        assertEquals(320, det.inputSize());
        assertEquals(80, det.classes());
        assertEquals(16, ModelSpec.defaults(EmoArch.EMO_5M, Task.SEGMENTATION).window());
        assertEquals("emo-5m-ssdlite", det.name());
        assertEquals("emo-5m-ssdlite-w7-c20-s384-post",
                det.withWindow(7).withClasses(20).withInputSize(384).withAttnPre(false).name());
        assertEquals("emo-2m", ModelSpec.defaults(EmoArch.EMO_2M, Task.CLASSIFICATION).name());
        assertEquals("emo-2m-backbone", ModelSpec.backbone(EmoArch.EMO_2M).name());
        ModelSpec retina = ModelSpec.defaults(EmoArch.EMO_5M, Head.RETINANET);
        assertEquals("emo-5m-retinanet", retina.name());
        assertEquals(10, retina.window());
        assertEquals(800, retina.inputSize());
        ModelSpec psp = ModelSpec.defaults(EmoArch.EMO_1M, Head.PSPNET);
        assertEquals("emo-1m-pspnet-s256", psp.withInputSize(256).name());
        assertEquals(7, psp.window());
        assertEquals(16, ModelSpec.defaults(EmoArch.EMO_5M, Head.PSPNET).window());
        assertEquals(Task.SEGMENTATION, psp.task());
        assertEquals("emo-1m-pspnet-s512x683", psp.withInputSize(512, 683).name());
        assertEquals("EMO-1M backbone + PSPNet head (150 classes), input 512x683, window 7, attn_pre",
                psp.withInputSize(512, 683).description());
    }

    @Test
    void nonSquareInputsTakeAnySideForSegmentationAndMultiplesOf32ForDetection() {
        ModelSpec psp = ModelSpec.defaults(EmoArch.EMO_1M, Head.PSPNET).withInputSize(512, 683);
        assertEquals(683, psp.inputWidth());
        assertTrue(assertThrows(IllegalStateException.class, psp::inputSize).getMessage().contains("512x683"));
        ModelSpec retina = ModelSpec.defaults(EmoArch.EMO_1M, Head.RETINANET);
        assertEquals(1088, retina.withInputSize(800, 1088).inputWidth());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> retina.withInputSize(800, 1067)).getMessage()
                .contains("multiple of 32"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSpec.defaults(EmoArch.EMO_1M,
                Head.SSDLITE).withInputSize(320, 640)).getMessage().contains("SSDLite is built square"));
    }

    @Test
    void invalidOptionsAreRejectedWithTheReason() {
        ModelSpec d = ModelSpec.defaults(EmoArch.EMO_1M, Task.DETECTION);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withWindow(0)).getMessage()
                .contains("window size must be at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withClasses(0)).getMessage()
                .contains("classes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withInputSize(300)).getMessage()
                .contains("multiple of 32"));
    }

    @Test
    void attnPostNeedsTheExpandedWidthToSplitIntoHeads() {
        // EMO-1M stage 4: 168 * 3.5 = 588 channels do not split into 8 heads
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, Task.CLASSIFICATION).withAttnPre(false);
        assertThrows(IllegalArgumentException.class, () -> new EmoModelBuilder().parameterSpecs(spec));
    }

    @Test
    void anchorsMatchTheSsdliteConfigurationAt320() {
        var anchors = EmoModelBuilder.anchors(ModelSpec.defaults(EmoArch.EMO_1M, Task.DETECTION));
        assertEquals(3234, anchors.total());
        int[] sizes = {20, 10, 5, 3, 2, 1};
        float[] strides = {16, 32, 64, 107, 160, 320};
        for (int l = 0; l < 6; l++) {
            assertEquals(sizes[l], anchors.levels().get(l).featureSize());
            assertEquals(strides[l], anchors.levels().get(l).stride());
            assertEquals(6, anchors.levels().get(l).anchorsPerLocation());
        }
    }
}
