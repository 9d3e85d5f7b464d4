package io.emostream.ingest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameBudgetTest {
    @Test
    void aBoundOfThreeLetsExactlyThreeFramesThrough() {
        FrameBudget budget = new FrameBudget(3);
        for (int i = 0; i < 3; i++) {
            assertFalse(budget.spent());
            assertTrue(budget.take(), "frame " + i);
        }
        assertTrue(budget.spent());
        assertFalse(budget.take());
        assertTrue(budget.spent(), "a refused take leaves it spent");
    }

    @Test
    void zeroMeansNoBound() {
        FrameBudget budget = new FrameBudget(0);
        for (int i = 0; i < 10_000; i++) assertTrue(budget.take());
        assertFalse(budget.spent());
    }
}
