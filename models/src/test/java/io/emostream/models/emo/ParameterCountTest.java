package io.emostream.models.emo;

import io.emostream.models.card.ModelCard.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The trainable parameter counts the authors report, for every size and head
 * (docs/MODELS.md, "Stages and sizes").
 */
class ParameterCountTest {
    private final EmoModelBuilder builder = new EmoModelBuilder();

    @ParameterizedTest(name = "{0}: backbone {1}, with classifier {2}")
    @CsvSource({
            "emo-1m, 1191832, 1361168",
            "emo-2m, 2176072, 2377472",
            "emo-5m, 4819272, 5108848",
            "emo-6m, 5846856, 6168496"})
    void backboneAndClassifierCountsMatchThePaper(String arch, long backbone, long classifier) {
        EmoArch a = EmoArch.parse(arch);
        assertEquals(backbone, builder.trainableParameters(ModelSpec.backbone(a)));
        assertEquals(classifier, builder.trainableParameters(ModelSpec.defaults(a, Task.CLASSIFICATION)));
    }

    /**
     * SSDLite and DeepLabv3 as the paper reports them. RetinaNet: backbone + FPN (laterals from stages 2-4, three 3x3
     * outputs, extra 3x3 stride-2 convs on stage 4 and on P6, all with bias) + RetinaHead (2 x 4 shared 3x3 convs of
     * 256, 3x3 convs to 9 x 80 and 9 x 4); for EMO-1M 1,191,832 + 2,824,192 + 6,463,220 (docs/MODELS.md,
     * "RetinaNet"). PSPNet: backbone + four pooled 1x1 ConvModules to 256, the 3x3 bottleneck from C4 + 1,024
     * channels, the 1x1 classifier to 150. Both equal the sums of the authors' training logs' parameter lists.
     */
    @ParameterizedTest(name = "{0}: SSDLite {1}, DeepLabv3 {2}, RetinaNet {3}, PSPNet {4}")
    @CsvSource({
            "emo-1m, 2311980, 5429806, 10479244, 4151342",
            "emo-2m, 3342716, 6651614, 11555644, 5242078",
            "emo-5m, 6076540, 9948126, 14440508, 8178142"})
    void detectionAndSegmentationCountsMatchTheAuthors(String arch, long ssdlite, long deeplab, long retinanet,
                                                       long pspnet) {
        EmoArch a = EmoArch.parse(arch);
        assertEquals(ssdlite, builder.trainableParameters(ModelSpec.defaults(a, Head.SSDLITE)));
        assertEquals(deeplab, builder.trainableParameters(ModelSpec.defaults(a, Head.DEEPLABV3)));
        assertEquals(retinanet, builder.trainableParameters(ModelSpec.defaults(a, Head.RETINANET)));
        assertEquals(pspnet, builder.trainableParameters(ModelSpec.defaults(a, Head.PSPNET)));
        // inputs that follow the frame (RetinaNet 1088x800 for 640x480, the segmenters 512x683): same weights
        assertEquals(retinanet, builder.trainableParameters(ModelSpec.defaults(a, Head.RETINANET)
                .withInputSize(800, 1088)));
        assertEquals(deeplab, builder.trainableParameters(ModelSpec.defaults(a, Head.DEEPLABV3)
                .withInputSize(512, 683)));
        assertEquals(pspnet, builder.trainableParameters(ModelSpec.defaults(a, Head.PSPNET).withInputSize(910, 512)));
    }
}
