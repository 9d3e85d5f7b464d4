package io.emostream.cli;

import io.emostream.topology.analytics.ZoneAnalytics;
import io.emostream.topology.http.HttpSettings;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code --cameras-config} and {@code --http-port}: the camera analytics' zones and lines, and the query API. */
final class AnalyticsOptions {
    @Option(names = "--cameras-config", paramLabel = "FILE", descriptionKey = "cameras-config", description = "YAML "
            + "file of each camera's zones and lines (sets " + ZoneAnalytics.CAMERAS_CONFIG_FILE + "); the compacted "
            + "topic camera-config overrides it per camera while the application runs.")
    Path camerasConfig;

    @Option(names = "--http-port", paramLabel = "PORT", descriptionKey = "http-port", description = "Port of the "
            + "HTTP query API (GET /api/cameras ...; sets " + HttpSettings.HTTP_PORT + "); 0 serves none.")
    Integer httpPort;

    /** Puts the options that were given into {@code settings}, as the keys they stand for. */
    void applyTo(Map<String, String> settings) {
        if (camerasConfig != null) {
            if (!Files.isRegularFile(camerasConfig)) {
                throw new UsageException("--cameras-config " + camerasConfig + ": no such file");
            }
            settings.put(ZoneAnalytics.CAMERAS_CONFIG_FILE, camerasConfig.toString());
        }
        if (httpPort != null) {
            if (httpPort < 0 || httpPort > 65535) {
                throw new UsageException("--http-port must be 0..65535, got " + httpPort);
            }
            settings.put(HttpSettings.HTTP_PORT, String.valueOf(httpPort));
        }
    }
}
