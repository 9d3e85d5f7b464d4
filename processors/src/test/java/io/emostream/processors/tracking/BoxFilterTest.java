package io.emostream.processors.tracking;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoxFilterTest {
    private static final TrackerSettings SETTINGS = TrackerSettings.defaults();

    @Test
    void learnsAConstantVelocityAndPredictsOverTheTimeElapsed() {
        BoxFilter filter = BoxFilter.start(Box.ofCentre(100, 50, 40, 80), SETTINGS);
        for (int f = 1; f <= 25; f++) {
            filter.predict(0.04);
            filter.update(Box.ofCentre(100 + 120 * f * 0.04, 50 - 60 * f * 0.04, 40, 80));
        }
        assertEquals(120, filter.velocityX(), 5);
        assertEquals(-60, filter.velocityY(), 5);
        double x = filter.box().centreX();

        filter.predict(0.5);

        assertEquals(x + 60, filter.box().centreX(), 3);
        assertEquals(40, filter.box().width(), 1);
    }

    @Test
    void uncertaintyGrowsWithTheTimePredicted() {
        BoxFilter shortStep = BoxFilter.start(Box.ofCentre(100, 100, 40, 40), SETTINGS);
        BoxFilter longStep = BoxFilter.start(Box.ofCentre(100, 100, 40, 40), SETTINGS);
        shortStep.predict(0.04);
        longStep.predict(1);
        assertTrue(longStep.centreX().positionVariance() > 10 * shortStep.centreX().positionVariance());
        assertTrue(longStep.centreX().velocityVariance() > shortStep.centreX().velocityVariance());
    }

    @Test
    void aShrinkingBoxStopsAtOnePixel() {
        BoxFilter filter = BoxFilter.start(Box.ofCentre(100, 100, 40, 40), SETTINGS);
        for (int f = 1; f <= 10; f++) {
            filter.predict(0.04);
            filter.update(Box.ofCentre(100, 100, 40 - 3 * f, 40 - 3 * f));
        }
        filter.predict(10);
        assertEquals(1, filter.box().width(), 1e-9);
        assertEquals(1, filter.box().height(), 1e-9);
        assertTrue(filter.width().velocity() >= 0);
    }

    @Test
    void restoresExactlyWhatItSaved() {
        BoxFilter filter = BoxFilter.start(Box.ofCentre(10, 20, 30, 40), SETTINGS);
        filter.predict(0.1);
        filter.update(Box.ofCentre(12, 21, 31, 39));
        BoxFilter restored = BoxFilter.restore(filter.centreX(), filter.centreY(), filter.width(), filter.height(),
                SETTINGS);
        filter.predict(0.2);
        restored.predict(0.2);
        assertEquals(filter.box(), restored.box());
        assertEquals(filter.centreY(), restored.centreY());
    }
}
