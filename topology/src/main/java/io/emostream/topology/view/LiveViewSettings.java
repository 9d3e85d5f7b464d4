package io.emostream.topology.view;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The live page's bounds.
 *
 * @param enabled         whether the HTTP server serves the live page (it needs {@code http.port})
 * @param updatesPerSecond most updates per camera per second, whatever the camera's frame rate
 * @param clientQueue     updates queued per open page; a page that reads slower loses the oldest
 * @param maxClients      most pages open at once (each holds one writer thread)
 */
public record LiveViewSettings(boolean enabled, double updatesPerSecond, int clientQueue, int maxClients) {
    public static final String ENABLED = "live.view.enabled";
    public static final String UPDATES_PER_SECOND = "live.view.updates.per.second";
    public static final String CLIENT_QUEUE = "live.view.client.queue.size";
    public static final String MAX_CLIENTS = "live.view.max.clients";

    private static final String GROUP = "Live view";

    public LiveViewSettings {
        if (!(updatesPerSecond > 0)) {
            throw new IllegalArgumentException(UPDATES_PER_SECOND + " must be > 0, got " + updatesPerSecond);
        }
        if (clientQueue < 1) throw new IllegalArgumentException(CLIENT_QUEUE + " must be >= 1, got " + clientQueue);
        if (maxClients < 1) throw new IllegalArgumentException(MAX_CLIENTS + " must be >= 1, got " + maxClients);
    }

    public static LiveViewSettings defaults() {
        return new LiveViewSettings(true, 5.0, 16, 32);
    }

    public static LiveViewSettings from(AbstractConfig config) {
        return new LiveViewSettings(config.getBoolean(ENABLED), config.getDouble(UPDATES_PER_SECOND),
                config.getInt(CLIENT_QUEUE), config.getInt(MAX_CLIENTS));
    }

    /** Adds the keys, with their defaults and documentation, to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        LiveViewSettings d = defaults();
        return def
                .define(ENABLED, Type.BOOLEAN, d.enabled(), Importance.LOW, "Whether the HTTP server (http.port) "
                        + "serves the live page at / and its update stream at " + LiveEvents.PATH + ": each camera "
                        + "this instance processes, its latest frame with boxes, mask, zones and lines, and charts "
                        + "of its statistics.", GROUP, 1, ConfigDef.Width.SHORT, ENABLED)
                .define(UPDATES_PER_SECOND, Type.DOUBLE, d.updatesPerSecond(), Range.between(0.1, 60),
                        Importance.LOW, "Most live-page updates per camera per second, whatever the camera's frame "
                                + "rate: only this many frames per camera are kept for the page and joined with "
                                + "their results; one update goes to every open page.", GROUP, 2,
                        ConfigDef.Width.SHORT, UPDATES_PER_SECOND)
                .define(CLIENT_QUEUE, Type.INT, d.clientQueue(), Range.between(1, 1024), Importance.LOW,
                        "Updates queued for one open page; when a page reads slower than they come, the oldest "
                                + "are dropped, so a slow browser never holds up processing nor grows memory.",
                        GROUP, 3, ConfigDef.Width.SHORT, CLIENT_QUEUE)
                .define(MAX_CLIENTS, Type.INT, d.maxClients(), Range.between(1, 1024), Importance.LOW,
                        "Most live pages open at once on this instance (each holds a writer thread); more are "
                                + "answered 503.", GROUP, 4, ConfigDef.Width.SHORT, MAX_CLIENTS);
    }
}
