package io.emostream.topology.app;

import io.emostream.topology.EmoStreams;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.Topics;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.analytics.FlatObjects;
import io.emostream.topology.analytics.ZoneAnalytics;
import io.emostream.topology.http.CameraQueryApi;
import io.emostream.topology.http.HttpApiServer;
import io.emostream.topology.http.HttpSettings;
import io.emostream.topology.http.QueryStores;
import io.emostream.topology.ops.HealthPages;
import io.emostream.topology.ops.MetricsPage;
import io.emostream.topology.ops.ModelMetrics;
import io.emostream.topology.ops.StreamsHealth;
import io.emostream.topology.ops.Telemetry;
import io.emostream.topology.view.LiveView;
import io.emostream.topology.view.LiveViewSettings;
import io.emostream.models.runtime.ModelLoadException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The emostream application: the plugin's processors between the configured topics, in one Kafka Streams instance,
 * with its meters ({@link Telemetry}: JVM, process memory, Kafka Streams, models, processors) and health, served
 * with the query API by one HTTP server when {@code http.port} is set. Closing its {@link EmoStreams} before Kafka
 * Streams is harmless: the running processors hold their own handles on the models.
 *
 * <p>The application listens to Kafka Streams' state itself (for its health); others listen through
 * {@link #addStateListener}, never {@code streams().setStateListener}, which would replace it.
 */
public final class EmoStreamApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmoStreamApp.class);

    private final EmoStreams emo;
    private final KafkaStreams streams;
    private final HttpSettings http;
    private final CloseOptions closeOptions;
    private final LifecycleSettings lifecycle;
    private final Telemetry telemetry;
    private final KafkaStreamsMetrics streamsMetrics;
    private final StreamsHealth health;
    private final LiveView liveView;
    private final List<KafkaStreams.StateListener> stateListeners = new CopyOnWriteArrayList<>();
    private HttpApiServer server;
    private boolean closed;
    private boolean closedInTime;

    /**
     * Takes ownership of {@code emo} and {@code telemetry}; {@code emo}'s processors should count into
     * {@code telemetry}'s registry ({@link EmoStreams#create(EmoStreamConfig, io.micrometer.core.instrument.MeterRegistry)}).
     *
     * @throws io.emostream.processors.analytics.InvalidCameraConfigException when the cameras file is invalid
     * @throws org.apache.kafka.common.config.ConfigException when the HTTP settings do not fit together
     */
    public EmoStreamApp(EmoStreamAppConfig config, EmoStreams emo, Telemetry telemetry) {
        this.emo = emo;
        this.telemetry = telemetry;
        this.http = config.httpSettings();
        this.lifecycle = config.lifecycleSettings();
        this.health = new StreamsHealth(lifecycle.maxRebalance(), System::nanoTime);
        Map<String, Object> streamsProperties = config.streamsProperties();
        this.closeOptions = closeOptions(streamsProperties, lifecycle.shutdownTimeout());
        this.liveView = liveView(config);
        this.streams = new KafkaStreams(topology(emo, config, liveView), new StreamsConfig(streamsProperties));
        if (liveView != null) {
            liveView.geometryFrom(streams, ZoneAnalytics.Settings.from(config, 0).fileConfigs());
        }
        streams.setStateListener((now, before) -> {
            health.stateChanged(now);
            stateListeners.forEach(l -> l.onChange(now, before));
        });
        Counter threadFailures = Counter.builder("emostream.stream.thread.failures")
                .description("Exceptions that escaped a stream thread (see " + LifecycleSettings.UNCAUGHT_EXCEPTION_POLICY
                        + ")").register(telemetry.registry());
        StreamThreadExceptionResponse policy = lifecycle.uncaughtExceptionPolicy();
        streams.setUncaughtExceptionHandler(e -> {
            threadFailures.increment();
            Optional<String> refused = KafkaAccess.explain(e);
            if (refused.isPresent()) {
                // a missing ACL: the line says what to add, a stack trace would not
                log.error("stream thread failed ({}: {}): {}", LifecycleSettings.UNCAUGHT_EXCEPTION_POLICY, policy,
                        refused.get());
            } else {
                log.error("stream thread failed ({}: {}): {}", LifecycleSettings.UNCAUGHT_EXCEPTION_POLICY, policy,
                        e.toString(), e);
            }
            if (lifecycle.failureIsFatal()) health.fatalError(refused.orElse(e.toString()));
            return policy;
        });
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(telemetry.registry());
        new ModelMetrics(emo.models()).bindTo(telemetry.registry());
    }

    /** Opens the configured models and builds the application, its meters in a new {@link Telemetry}. */
    public static EmoStreamApp create(EmoStreamAppConfig config) throws ModelLoadException {
        Telemetry telemetry = Telemetry.start();
        EmoStreams emo = null;
        try {
            emo = EmoStreams.create(config, telemetry.registry());
            return new EmoStreamApp(config, emo, telemetry);
        } catch (ModelLoadException | RuntimeException e) {
            if (emo != null) emo.close();
            telemetry.close();
            throw e;
        }
    }

    /**
     * frames -> processors -> detections, segmentations, dead letters; when enabled, the camera analytics on the
     * detections and segmentations: tracks, frame analytics, occupancy, camera stats; and when enabled, the flat
     * objects (from the tracks when the analytics run, else from the detections).
     */
    public static Topology topology(EmoStreams emo, EmoStreamConfig config) {
        return topology(emo, config, null);
    }

    /** As {@link #topology(EmoStreams, EmoStreamConfig)}, tapped by {@code view} when it is not null. */
    static Topology topology(EmoStreams emo, EmoStreamConfig config, LiveView view) {
        Topics topics = config.topics();
        StreamsBuilder builder = new StreamsBuilder();
        KStream<byte[], byte[]> frames = builder.stream(topics.frames(), Consumed.with(Serdes.ByteArray(),
                Serdes.ByteArray()).withName(EmoStreams.DEFAULT_NAME + "-frames"));
        if (view != null) view.tapFrames(frames); // first, so that a frame is kept before its results come
        EmoStreams.Results results = emo.process(frames);
        results.to(topics);
        CameraAnalytics.Results analytics = null;
        if (config.analyticsEnabled()) {
            analytics = CameraAnalytics.addTo(builder, results.detections(), results.segmentations(), config,
                    config.getInt(EmoStreamConfig.DEAD_LETTER_MAX_VALUE_BYTES), emo.registry());
            analytics.to(config.analyticsTopics(), topics.deadLetters());
        }
        if (view != null) view.tapResults(results, analytics);
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

    public Telemetry telemetry() {
        return telemetry;
    }

    public StreamsHealth health() {
        return health;
    }

    /** Called on every Kafka Streams state change, after the application's own health has seen it. */
    public void addStateListener(KafkaStreams.StateListener listener) {
        stateListeners.add(listener);
    }

    /**
     * Starts the HTTP server when {@code http.port} is set (first, so that a port in use stops nothing): the query
     * API, {@value MetricsPage#PATH}, {@value HealthPages#LIVE} and {@value HealthPages#READY}; then the models'
     * warm-up ({@link EmoStreams#warmUp}), and processing once it is done, so that no frame waits for it. The instance
     * is live meanwhile and ready only after. A failed warm-up is a fatal error: Kafka Streams is closed without
     * having run (its state listeners see NOT_RUNNING).
     *
     * @throws java.io.UncheckedIOException when the HTTP port cannot be bound
     */
    public synchronized void start() {
        if (http.enabled()) {
            server = HttpApiServer.start(http);
            CameraQueryApi.addTo(server, streams, QueryStores.defaults(), http);
            MetricsPage.addTo(server, telemetry);
            HealthPages.addTo(server, health::live, health::ready);
            if (liveView != null) liveView.addTo(server);
            log.info("HTTP at {}://{}:{} (listening on {}{}): query API {}, metrics {}, health {} and {}{}",
                    server.scheme(), http.advertisedHost(), server.port(), http.bindAddress(),
                    http.security().authenticates() ? ", token required" : "", CameraQueryApi.PATH,
                    MetricsPage.PATH, HealthPages.LIVE, HealthPages.READY, liveView != null ? ", live page /" : "");
        }
        health.warmingUp();
        emo.warmUp().whenComplete((done, failure) -> startProcessing(failure));
    }

    private synchronized void startProcessing(Throwable warmUpFailure) {
        if (warmUpFailure != null) {
            Throwable cause = warmUpFailure instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : warmUpFailure;
            log.error("model warm-up failed, processing does not start: {}", cause.getMessage(), cause);
            health.fatalError("model warm-up failed: " + cause.getMessage());
            streams.close(closeOptions);
            return;
        }
        health.warmedUp();
        if (!closed) streams.start();
    }

    /** The HTTP server's port, or 0 when none runs. */
    public synchronized int httpPort() {
        return server == null ? 0 : server.port();
    }

    /**
     * Idempotent: stops the HTTP server and processing (committing what was processed; waiting up to
     * {@code shutdown.timeout.ms}), then releases the models and the meters. The instance leaves the consumer group,
     * so the other instances take over its partitions at once, not after {@code session.timeout.ms}; a static member
     * ({@code group.instance.id} set) stays, so that it can come back within the session timeout without moving any
     * partition.
     *
     * @return whether Kafka Streams closed within {@code shutdown.timeout.ms}
     */
    public synchronized boolean shutDown() {
        if (closed) return closedInTime;
        closed = true;
        try {
            if (liveView != null) liveView.close();
            if (server != null) server.close();
            closedInTime = streams.close(closeOptions);
            if (!closedInTime) log.warn("Kafka Streams did not close within {}", lifecycle.shutdownTimeout());
        } finally {
            health.modelsClosed();
            try {
                emo.close();
            } finally {
                streamsMetrics.close();
                telemetry.close();
            }
        }
        return closedInTime;
    }

    /** {@link #shutDown()}. */
    @Override
    public void close() {
        shutDown();
    }

    /** The live page when the HTTP server runs and it is not turned off; it needs the models' results. */
    private static LiveView liveView(EmoStreamAppConfig config) {
        LiveViewSettings settings = config.liveViewSettings();
        if (!config.httpSettings().enabled() || !settings.enabled()) return null;
        return LiveView.create(settings, config.getBoolean(EmoStreamConfig.DETECTION_ENABLED),
                config.analyticsEnabled(), config.getBoolean(EmoStreamConfig.SEGMENTATION_ENABLED));
    }

    /** Kafka Streams' default (classic group protocol) keeps a closed instance in the group until its session ends. */
    private static CloseOptions closeOptions(Map<String, Object> streamsProperties, Duration timeout) {
        String instanceId = ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;
        boolean staticMember = Stream.of(instanceId, StreamsConfig.consumerPrefix(instanceId),
                StreamsConfig.mainConsumerPrefix(instanceId)).anyMatch(streamsProperties::containsKey);
        return CloseOptions.groupMembershipOperation(staticMember ? GroupMembershipOperation.REMAIN_IN_GROUP
                : GroupMembershipOperation.LEAVE_GROUP).withTimeout(timeout);
    }
}
