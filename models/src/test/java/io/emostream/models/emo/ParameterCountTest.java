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

    @ParameterizedTest(name = "{0}: SSDLite {1}, DeepLabv3 {2}")
    @CsvSource({
            "emo-1m, 2311980, 5429806",
            "emo-2m, 3342716, 6651614",
            "emo-5m, 6076540, 9948126"})
    void detectionAndSegmentationCountsMatchThePaper(String arch, long ssdlite, long deeplab) {
        EmoArch a = EmoArch.parse(arch);
        assertEquals(ssdlite, builder.trainableParameters(ModelSpec.defaults(a, Task.DETECTION)));
        assertEquals(deeplab, builder.trainableParameters(ModelSpec.defaults(a, Task.SEGMENTATION)));
    }
}
