package io.emostream.topology.analytics;

import io.emostream.processors.tracking.TrackerSettings;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackingSettingsTest {
    private static AbstractConfig config(Map<String, ?> values) {
        return new AbstractConfig(Tracking.define(new ConfigDef()), values);
    }

    @Test
    void theKeysDefaultToTheTrackersDefaults() {
        AbstractConfig config = config(Map.of());
        assertEquals(TrackerSettings.defaults(), Tracking.settings(config));
        assertEquals("tracks", config.getString(Tracking.TRACKS_TOPIC));
    }

    @Test
    void everyKeyReachesItsSetting() {
        TrackerSettings settings = Tracking.settings(config(Map.ofEntries(
                Map.entry(Tracking.HIGH_SCORE, "0.6"), Map.entry(Tracking.LOW_SCORE, "0.2"),
                Map.entry(Tracking.HIGH_MATCH_IOU, "0.3"), Map.entry(Tracking.LOW_MATCH_IOU, "0.4"),
                Map.entry(Tracking.CONFIRM_HITS, "2"), Map.entry(Tracking.MAX_MISSES, "10"),
                Map.entry(Tracking.MAX_LOST_MS, "900"), Map.entry(Tracking.MAX_TRACKS, "50"),
                Map.entry(Tracking.MEASUREMENT_NOISE, "0.1"), Map.entry(Tracking.ACCELERATION_NOISE, "3"),
                Map.entry(Tracking.INITIAL_VELOCITY_NOISE, "0.5"))));
        assertEquals(new TrackerSettings(0.6, 0.2, 0.3, 0.4, 2, 10, 900, 50, 0.1, 3, 0.5), settings);
    }

    @Test
    void aLowScoreAboveTheHighScoreIsRejectedNamingBothKeys() {
        ConfigException e = assertThrows(ConfigException.class, () -> Tracking.settings(config(Map.of(
                Tracking.HIGH_SCORE, "0.4", Tracking.LOW_SCORE, "0.5"))));
        assertTrue(e.getMessage().contains(Tracking.LOW_SCORE) && e.getMessage().contains(Tracking.HIGH_SCORE),
                e.getMessage());
    }

    @Test
    void aValueOutOfRangeIsRejectedByItsKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of(Tracking.CONFIRM_HITS, "0")));
        assertTrue(e.getMessage().contains(Tracking.CONFIRM_HITS), e.getMessage());
    }
}
