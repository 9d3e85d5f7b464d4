package io.emostream.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything one ingest process needs.
 *
 * @param producerOverrides extra Kafka client properties (security, tuning); they win over the defaults
 * @param brokerTimeout     how long the start-up check waits for the cluster
 * @param maxInFlight       unacknowledged frames per camera; beyond it live sources drop their oldest unsent frames
 * @param reconnectInitial  first reconnection delay; it doubles up to reconnectMax, with jitter
 * @param maxFramesTotal    the ingest ends after publishing this many frames of all cameras together; 0 for no bound
 * @param fromStart         files are read from their beginning even where an earlier ingest published part of them
 *                          (sequences go on after the topic's last one either way)
 */
public record IngestSettings(String bootstrapServers, String topic, List<CameraConfig> cameras,
                             Map<String, String> producerOverrides, Duration brokerTimeout, int maxInFlight,
                             Duration reconnectInitial, Duration reconnectMax, boolean progress,
                             long maxFramesTotal, boolean fromStart) {
    public static final String DEFAULT_TOPIC = "frames";
    public static final Duration DEFAULT_BROKER_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;
    public static final Duration DEFAULT_RECONNECT_INITIAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);

    public IngestSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) throw new IngestConfigException("bootstrap servers are missing");
        if (topic == null || topic.isBlank()) throw new IngestConfigException("topic is missing");
        if (cameras == null || cameras.isEmpty()) throw new IngestConfigException("no cameras given");
        if (maxInFlight < 1) throw new IngestConfigException("maxInFlight must be at least 1");
        if (maxFramesTotal < 0) throw new IngestConfigException("maxFramesTotal must be 0 (no bound) or more, got " + maxFramesTotal);
        cameras = List.copyOf(cameras);
        producerOverrides = Map.copyOf(producerOverrides == null ? Map.of() : producerOverrides);
    }

    /**
     * Defaults for the rest: 10 s broker check, 4 frames in flight per camera, reconnect 0.5 s doubling to 30 s, no
     * bound on frames in all.
     */
    public static IngestSettings of(String bootstrapServers, String topic, List<CameraConfig> cameras,
                                    Map<String, String> producerOverrides) {
        return new IngestSettings(bootstrapServers, topic, cameras, producerOverrides, DEFAULT_BROKER_TIMEOUT,
                DEFAULT_MAX_IN_FLIGHT, DEFAULT_RECONNECT_INITIAL, DEFAULT_RECONNECT_MAX, false, 0, false);
    }

    public IngestSettings withMaxFramesTotal(long max) {
        return new IngestSettings(bootstrapServers, topic, cameras, producerOverrides, brokerTimeout, maxInFlight,
                reconnectInitial, reconnectMax, progress, max, fromStart);
    }
}
