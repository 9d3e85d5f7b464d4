package io.emostream.processors.tracking;

import java.util.Arrays;

/**
 * Minimum-cost assignment of rows to columns (the Hungarian method with row and column potentials, O(n^2 m)):
 * every row gets a distinct column when there are at least as many columns, otherwise every column gets a row.
 */
public final class HungarianAssignment {
    private HungarianAssignment() { }

    /** The column of each row, -1 for rows left without one (only when rows outnumber columns). */
    public static int[] solve(double[][] cost) {
        int rows = cost.length;
        int cols = rows == 0 ? 0 : cost[0].length;
        if (rows <= cols) return solveWide(cost, rows, cols);
        double[][] transposed = new double[cols][rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                transposed[c][r] = cost[r][c];
            }
        }
        int[] rowOfCol = solveWide(transposed, cols, rows);
        int[] colOfRow = new int[rows];
        Arrays.fill(colOfRow, -1);
        for (int c = 0; c < cols; c++) {
            colOfRow[rowOfCol[c]] = c;
        }
        return colOfRow;
    }

    /**
     * rows <= cols. Adds the rows one by one, each along a shortest augmenting path in reduced costs (Dijkstra over
     * the columns); the potentials keep every reduced cost non-negative. Indices are 1-based inside, column 0 being
     * the virtual start of each path.
     */
    private static int[] solveWide(double[][] cost, int rows, int cols) {
        double[] rowPotential = new double[rows + 1];
        double[] colPotential = new double[cols + 1];
        int[] rowOfCol = new int[cols + 1];
        int[] previousCol = new int[cols + 1];
        double[] pathCost = new double[cols + 1];
        boolean[] visited = new boolean[cols + 1];
        for (int row = 1; row <= rows; row++) {
            rowOfCol[0] = row;
            int col = 0;
            Arrays.fill(pathCost, Double.POSITIVE_INFINITY);
            Arrays.fill(visited, false);
            do {
                visited[col] = true;
                int r = rowOfCol[col];
                double delta = Double.POSITIVE_INFINITY;
                int next = 0;
                for (int c = 1; c <= cols; c++) {
                    if (visited[c]) continue;
                    double reduced = cost[r - 1][c - 1] - rowPotential[r] - colPotential[c];
                    if (reduced < pathCost[c]) {
                        pathCost[c] = reduced;
                        previousCol[c] = col;
                    }
                    if (pathCost[c] < delta) {
                        delta = pathCost[c];
                        next = c;
                    }
                }
                for (int c = 0; c <= cols; c++) {
                    if (visited[c]) {
                        rowPotential[rowOfCol[c]] += delta;
                        colPotential[c] -= delta;
                    } else {
                        pathCost[c] -= delta;
                    }
                }
                col = next;
            } while (rowOfCol[col] != 0);
            // Flip the path: each column on it takes the row of the column before it.
            do {
                int before = previousCol[col];
                rowOfCol[col] = rowOfCol[before];
                col = before;
            } while (col != 0);
        }
        int[] colOfRow = new int[rows];
        for (int c = 1; c <= cols; c++) {
            if (rowOfCol[c] != 0) colOfRow[rowOfCol[c] - 1] = c - 1;
        }
        return colOfRow;
    }
}
