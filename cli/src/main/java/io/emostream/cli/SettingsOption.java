package io.emostream.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code -s KEY=VALUE}: emostream and Kafka Streams settings given on the command line, with the
 * {@link AnalyticsOptions} that stand for settings. A command words its help in {@code options.properties} under
 * {@code emostream.<command>.set} when the default does not fit.
 */
final class SettingsOption {
    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", descriptionKey = "set",
            description = "Any setting, overriding the file and the environment; repeatable.")
    Map<String, String> settings = new HashMap<>();

    @Mixin
    AnalyticsOptions analytics;

    /** Every setting the command line gives: the {@code -s} ones, then those the analytics options stand for. */
    Map<String, String> given() {
        Map<String, String> given = new HashMap<>(settings);
        analytics.applyTo(given);
        return given;
    }
}
