package io.emostream.cli.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** One scrape of a /metrics page in the Prometheus text format, read the way the assertions need it. */
record PrometheusText(String text) {
    /** The sum of every sample of {@code name} whose labels all include {@code labels} ({@code key="value"}). */
    double sum(String name, String... labels) {
        return samples(name, labels).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** As {@link #sum}, each sample weighted by {@code weight} of its label set. */
    double weightedSum(String name, ToDoubleFunction<String> weight, String... labels) {
        return samples(name, labels).entrySet().stream()
                .mapToDouble(e -> weight.applyAsDouble(e.getKey()) * e.getValue()).sum();
    }

    /** Label set (the text between the braces, "" for none) to value, of each sample of {@code name}. */
    Map<String, Double> samples(String name, String... labels) {
        Map<String, Double> out = new LinkedHashMap<>();
        text.lines().filter(l -> !l.startsWith("#")).forEach(line -> {
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String series = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            if (!series.equals(name)) return;
            String set = brace >= 0 && brace < space ? line.substring(brace + 1, line.lastIndexOf('}')) : "";
            for (String label : labels) {
                if (!("," + set + ",").contains("," + label + ",")) return;
            }
            out.put(set, Double.parseDouble(line.substring(space + 1)));
        });
        return out;
    }

    /** The value of {@code label} in a label set of {@link #samples}. */
    static String label(String set, String label) {
        for (String pair : set.split(",")) {
            if (pair.startsWith(label + "=\"")) return pair.substring(label.length() + 2, pair.length() - 1);
        }
        throw new IllegalArgumentException("no label " + label + " in {" + set + "}");
    }
}
