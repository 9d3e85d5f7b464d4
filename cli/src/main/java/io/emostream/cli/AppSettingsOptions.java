package io.emostream.cli;

import picocli.CommandLine.Mixin;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings of the commands that run the application ({@code run}, {@code demo}): {@code -s KEY=VALUE} and the
 * {@link AnalyticsOptions} that stand for settings.
 */
final class AppSettingsOptions {
    @Mixin
    SettingsOption overrides;

    @Mixin
    AnalyticsOptions analytics;

    /** Every setting the command line gives: the {@code -s} ones, then those the analytics options stand for. */
    Map<String, String> given() {
        Map<String, String> given = new HashMap<>(overrides.settings);
        analytics.applyTo(given);
        return given;
    }
}
