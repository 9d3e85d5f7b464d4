package io.emostream.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Every configuration's row from every round, in measuring order. A configuration is reported by its median round
 * (by frames per second; the lower middle for an even count), so its latency and stage figures belong to that fps.
 *
 * @param <K> what identifies a configuration (batch size, thread count, ...)
 * @param <R> a scenario's row
 */
final class Rounds<K, R> {
    private final Map<K, List<R>> byConfig = new LinkedHashMap<>();
    private final ToDoubleFunction<R> fps;

    Rounds(ToDoubleFunction<R> fps) {
        this.fps = fps;
    }

    void add(K config, R row) {
        byConfig.computeIfAbsent(config, k -> new ArrayList<>()).add(row);
    }

    boolean has(K config) {
        return byConfig.containsKey(config);
    }

    /** The configurations, in measuring order. */
    List<K> configs() {
        return List.copyOf(byConfig.keySet());
    }

    /** The rows of one configuration, one per round. */
    List<R> rounds(K config) {
        return byConfig.getOrDefault(config, List.of());
    }

    /** A figure of one configuration's rows, one per round. */
    List<Double> byRound(K config, ToDoubleFunction<R> figure) {
        return rounds(config).stream().map(figure::applyAsDouble).toList();
    }

    R median(K config) {
        List<R> sorted = new ArrayList<>(rounds(config));
        sorted.sort(Comparator.comparingDouble(fps));
        return sorted.get((sorted.size() - 1) / 2);
    }

    List<R> medians() {
        return byConfig.keySet().stream().map(this::median).toList();
    }

    /** The configuration whose median round is fastest. */
    K fastest() {
        return byConfig.keySet().stream().max(Comparator.comparingDouble(k -> fps.applyAsDouble(median(k))))
                .orElseThrow();
    }
}
