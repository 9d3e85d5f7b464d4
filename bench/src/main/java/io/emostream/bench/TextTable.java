package io.emostream.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table with right-aligned columns, for the terminal and for Markdown-free logs. */
final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    /** Where rows go as they are added, or null when the table is printed whole. */
    private PrintWriter out;

    TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    /** Doubles are printed with one decimal, or two when below 10. */
    TextTable add(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell instanceof Double d ? format(d) : String.valueOf(cell));
        }
        rows.add(row);
        if (out != null) {
            line(out, row, headerWidths());
            out.flush();
        }
        return this;
    }

    static String format(double d) {
        return String.format(Locale.ROOT, Math.abs(d) < 10 ? "%.2f" : "%.1f", d);
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        line(out, headers, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
    }

    /**
     * Prints the headers now and each row as soon as it is added, in columns as wide as the headers (wider cells
     * shift the rest of their row): for rows that come minutes apart.
     */
    static TextTable streaming(PrintWriter out, String... headers) {
        TextTable table = new TextTable(headers);
        table.out = out;
        line(out, table.headers, table.headerWidths());
        out.flush();
        return table;
    }

    private int[] headerWidths() {
        return headers.stream().mapToInt(String::length).toArray();
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            b.append(c == 0 ? "" : "  ").append(" ".repeat(Math.max(0, widths[c] - cells.get(c).length()))).append(cells.get(c));
        }
        out.println(b);
    }
}
