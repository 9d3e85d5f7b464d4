package io.emostream.topology.app;

import io.emostream.topology.EmoStreams;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.Topics;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.analytics.FlatObjects;
import io.emostream.topology.http.CameraQueryApi;
import io.emostream.topology.http.HttpApiServer;
import io.emostream.topology.http.HttpSettings;
import io.emostream.topology.http.QueryStores;
import io.emostream.models.runtime.ModelLoadException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The emostream application: the plugin's processors between the configured topics, in one Kafka Streams instance.
 * Closing its {@link EmoStreams} before Kafka Streams is harmless: the running processors hold their own handles on
 * the models.
 */
public final class EmoStreamApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmoStreamApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final EmoStreams emo;
    private final KafkaStreams streams;
    private final HttpSettings http;
    private HttpApiServer server;
    private boolean closed;

    /**
     * Takes ownership of {@code emo}.
     *
     * @throws io.emostream.processors.analytics.InvalidCameraConfigException when the cameras file is invalid
     * @throws org.apache.kafka.common.config.ConfigException when the HTTP settings do not fit together
     */
    public EmoStreamApp(EmoStreamAppConfig config, EmoStreams emo) {
        this.emo = emo;
        this.http = config.httpSettings();
        this.streams = new KafkaStreams(topology(emo, config), new StreamsConfig(config.streamsProperties()));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; shutting the application down: {}", e.toString(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /** Opens the configured models and builds the application. */
    public static EmoStreamApp create(EmoStreamAppConfig config) throws ModelLoadException {
        EmoStreams emo = EmoStreams.create(config);
        try {
            return new EmoStreamApp(config, emo);
        } catch (RuntimeException e) {
            emo.close();
            throw e;
        }
    }

    /**
     * frames -> processors -> detections, segmentations, dead letters; when enabled, the camera analytics on the
     * detections and segmentations: tracks, frame analytics, occupancy, camera stats; and when enabled, the flat
     * objects (from the tracks when the analytics run, else from the detections).
     */
    public static Topology topology(EmoStreams emo, EmoStreamConfig config) {
        Topics topics = config.topics();
        StreamsBuilder builder = new StreamsBuilder();
        EmoStreams.Results results = emo.process(builder, topics.frames());
        results.to(topics);
        CameraAnalytics.Results analytics = null;
        if (config.analyticsEnabled()) {
            analytics = CameraAnalytics.addTo(builder, results.detections(), results.segmentations(), config,
                    config.getInt(EmoStreamConfig.DEAD_LETTER_MAX_VALUE_BYTES));
            analytics.to(config.analyticsTopics(), topics.deadLetters());
        }
        if (config.objectsEnabled()) {
            FlatObjects.to(analytics != null ? FlatObjects.fromTracks(analytics.tracks())
                    : FlatObjects.fromDetections(results.detections()), config.getString(FlatObjects.TOPIC));
        }
        return builder.build();
    }

    public EmoStreams emo() {
        return emo;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Starts the HTTP query API when {@code http.port} is set (first, so that a port in use stops nothing), then
     * processing.
     *
     * @throws java.io.UncheckedIOException when the HTTP port cannot be bound
     */
    public synchronized void start() {
        if (http.enabled()) {
            server = HttpApiServer.start(http);
            CameraQueryApi.addTo(server, streams, QueryStores.defaults(), http);
            log.info("query API at http://{}:{}{}", http.advertisedHost(), server.port(), CameraQueryApi.PATH);
        }
        streams.start();
    }

    /** The HTTP server's port, or 0 when none runs. */
    public synchronized int httpPort() {
        return server == null ? 0 : server.port();
    }

    /** Idempotent: stops the HTTP server and processing (committing what was processed), then releases the models. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            if (server != null) server.close();
            if (!streams.close(CLOSE_TIMEOUT)) log.warn("Kafka Streams did not close within {}", CLOSE_TIMEOUT);
        } finally {
            emo.close();
        }
    }
}
