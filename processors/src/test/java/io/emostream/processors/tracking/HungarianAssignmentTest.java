package io.emostream.processors.tracking;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HungarianAssignmentTest {

    @Test
    void findsTheOptimumWhereTakingTheCheapestPairFirstDoesNot() {
        // Greedy takes (0,0) at 1 and is left with (1,1) at 10: 11. The optimum is (0,1) + (1,0) = 2 + 2 = 4.
        double[][] cost = {{1, 2}, {2, 10}};
        assertArrayEquals(new int[] {1, 0}, HungarianAssignment.solve(cost));
    }

    @Test
    void leavesTheCostliestRowsWithoutAColumnWhenRowsOutnumberColumns() {
        double[][] cost = {{5}, {1}, {3}};
        assertArrayEquals(new int[] {-1, 0, -1}, HungarianAssignment.solve(cost));
    }

    @Test
    void givesEveryRowADistinctColumnWhenColumnsOutnumberRows() {
        double[][] cost = {{4, 1, 2}, {3, 0, 6}};
        assertArrayEquals(new int[] {2, 1}, HungarianAssignment.solve(cost));
    }

    @Test
    void matchesTheBruteForceOptimumOnRandomMatrices() {
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + random.nextInt(6);
            int cols = 1 + random.nextInt(6);
            double[][] cost = new double[rows][cols];
            for (double[] row : cost) {
                for (int c = 0; c < cols; c++) {
                    row[c] = random.nextInt(4) == 0 ? 1 : random.nextDouble();
                }
            }
            int[] assignment = HungarianAssignment.solve(cost);
            assertEquals(bruteForce(cost, 0, new boolean[cols]), total(cost, assignment), 1e-9,
                    "trial " + trial);
            assertEquals(Math.min(rows, cols), Arrays.stream(assignment).filter(c -> c >= 0).distinct()
                    .count(), "trial " + trial + ": distinct columns for min(rows, cols) rows");
        }
    }

    private static double total(double[][] cost, int[] assignment) {
        double sum = 0;
        for (int r = 0; r < assignment.length; r++) {
            if (assignment[r] >= 0) sum += cost[r][assignment[r]];
        }
        return sum;
    }

    /** Least total cost of assigning min(rows, cols) pairs, rows from {@code row} on, by trying every way. */
    private static double bruteForce(double[][] cost, int row, boolean[] used) {
        int rows = cost.length;
        int cols = cost[0].length;
        int free = 0;
        for (boolean u : used) {
            if (!u) free++;
        }
        if (row == rows || free == 0) return 0;
        double best = Double.POSITIVE_INFINITY;
        if (rows - row > free) best = bruteForce(cost, row + 1, used); // this row may go without
        for (int c = 0; c < cols; c++) {
            if (used[c]) continue;
            used[c] = true;
            best = Math.min(best, cost[row][c] + bruteForce(cost, row + 1, used));
            used[c] = false;
        }
        return best;
    }
}
