package io.emostream.topology.app;

import io.emostream.topology.EmoStreams;
import io.emostream.topology.Topics;
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
    private boolean closed;

    /** Takes ownership of {@code emo}. */
    public EmoStreamApp(EmoStreamAppConfig config, EmoStreams emo) {
        this.emo = emo;
        this.streams = new KafkaStreams(topology(emo, config.topics()), new StreamsConfig(config.streamsProperties()));
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

    /** frames -> processors -> detections, segmentations, dead letters. */
    public static Topology topology(EmoStreams emo, Topics topics) {
        StreamsBuilder builder = new StreamsBuilder();
        emo.process(builder, topics.frames()).to(topics);
        return builder.build();
    }

    public EmoStreams emo() {
        return emo;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public void start() {
        streams.start();
    }

    /** Idempotent: stops processing (committing what was processed), then releases the models. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            if (!streams.close(CLOSE_TIMEOUT)) log.warn("Kafka Streams did not close within {}", CLOSE_TIMEOUT);
        } finally {
            emo.close();
        }
    }
}
