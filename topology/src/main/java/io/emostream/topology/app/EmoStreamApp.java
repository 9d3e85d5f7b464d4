package io.emostream.topology.app;

import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.EmoStreams;
import io.emostream.topology.Topics;
import io.emostream.models.runtime.ModelLoadException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * The emostream application: the plugin's processors between the configured topics, in one Kafka Streams instance.
 * Closing its {@link EmoStreams} before Kafka Streams is harmless: the running processors hold their own handles on
 * the models.
 */
public final class EmoStreamApp implements AutoCloseable {
    public static final String DEFAULT_APPLICATION_ID = "emostream";
    private static final Logger log = LoggerFactory.getLogger(EmoStreamApp.class);
    /**
     * Kafka Streams gives its producers {@code linger.ms=100}, so a frame's results could wait 100 ms to be sent;
     * at camera frame rates 5 ms still batches the results of concurrent frames.
     */
    public static final int DEFAULT_PRODUCER_LINGER_MS = 5;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final EmoStreams emo;
    private final KafkaStreams streams;
    private boolean closed;

    /** Takes ownership of {@code emo}. */
    public EmoStreamApp(EmoStreamConfig config, EmoStreams emo) {
        this.emo = emo;
        this.streams = new KafkaStreams(topology(emo, config.topics()), new StreamsConfig(streamsProperties(config)));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; shutting the application down: {}", e.toString(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /**
     * The Kafka Streams settings of the application: the configured ones, plus its defaults where they are not set
     * (application id; producer {@code linger.ms}, unless {@code linger.ms} or {@code producer.linger.ms} is given).
     */
    public static Map<String, Object> streamsProperties(EmoStreamConfig config) {
        Map<String, Object> props = config.streamsProperties();
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        String producerLinger = StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);
        if (!props.containsKey(ProducerConfig.LINGER_MS_CONFIG) && !props.containsKey(producerLinger)) {
            props.put(producerLinger, DEFAULT_PRODUCER_LINGER_MS);
        }
        return props;
    }

    /** Opens the configured models and builds the application. */
    public static EmoStreamApp create(EmoStreamConfig config) throws ModelLoadException {
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
