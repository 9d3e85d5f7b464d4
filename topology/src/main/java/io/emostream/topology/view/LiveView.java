package io.emostream.topology.view;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.EmoStreams;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.http.HttpApiServer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The live page: taps the topology where it already holds each frame and its results, in process, and turns a
 * sample of them into updates for the browser ({@link StaticAssets} at {@code /}, {@link LiveEvents} at
 * {@value LiveEvents#PATH}).
 *
 * <p>Per camera at most {@code live.view.updates.per.second} frames are kept (the others cost a map look-up), each
 * joined by sequence number with its detections, tracks, zone analytics and segmentation in a buffer of a few
 * frames ({@link CameraFrames}); a frame whose results are all in becomes one update, encoded once and offered to
 * every open page without blocking ({@link LiveHub}). An instance therefore shows the cameras whose frames it
 * processes. Taps must be added before the frames' consumers, so that a frame is kept before its results come.
 */
public final class LiveView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveView.class);

    private final PendingFrame.ExpectedResults expected;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final LiveHub hub;
    private final LiveEvents events;
    private final Map<String, CameraFrames> cameras = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSampled = new ConcurrentHashMap<>();
    private final Deserializer<VideoFrame> frames = AvroSerdes.videoFrame().deserializer();
    private volatile Function<String, CameraConfig> geometry = camera -> null;

    LiveView(LiveViewSettings settings, PendingFrame.ExpectedResults expected, LongSupplier clock) {
        this.expected = expected;
        this.intervalNanos = (long) (1e9 / settings.updatesPerSecond());
        this.clock = clock;
        this.hub = new LiveHub(settings.clientQueue());
        this.events = new LiveEvents(hub, settings.maxClients());
    }

    /**
     * For a topology whose frames get detections when {@code detection}, tracks and zone analytics when
     * {@code analytics}, and a segmentation when {@code segmentation}.
     */
    public static LiveView create(LiveViewSettings settings, boolean detection, boolean analytics,
                                  boolean segmentation) {
        return new LiveView(settings, new PendingFrame.ExpectedResults(detection, analytics, analytics,
                segmentation), System::nanoTime);
    }

    /** Where the cameras' zones and lines are looked up when an update is made (null: none). */
    public void geometryFrom(Function<String, CameraConfig> lookup) {
        this.geometry = Objects.requireNonNull(lookup, "lookup must not be null");
    }

    /**
     * The zones and lines the analytics use: the camera's accepted record in the global table of {@code streams},
     * else its entry in the cameras file.
     */
    public void geometryFrom(KafkaStreams streams, Map<String, CameraConfig> file) {
        geometryFrom(camera -> {
            CameraConfig accepted = streams.store(StoreQueryParameters.fromNameAndType(
                    CameraAnalytics.CAMERA_CONFIG_STORE, QueryableStoreTypes.<String, CameraConfig>keyValueStore()))
                    .get(camera);
            return accepted != null ? accepted : file.get(camera);
        });
    }

    /** Serves the page and its updates on {@code server}. */
    public void addTo(HttpApiServer server) {
        server.route(StaticAssets.INDEX, new StaticAssets()).route(LiveEvents.PATH, events);
    }

    /** Keeps a sample of the serialized frames; add it before the frames' other consumers. */
    public void tapFrames(KStream<byte[], byte[]> serializedFrames) {
        serializedFrames.peek((key, value) -> sample(key, value), Named.as("emostream-live-frames"));
    }

    /** Joins the sampled frames with the results of {@code results} and, when not null, {@code analytics}. */
    public void tapResults(EmoStreams.Results results, CameraAnalytics.Results analytics) {
        results.detections().peek((camera, d) -> attach(camera, d.getSequence(), p -> p.detections = d),
                Named.as("emostream-live-detections"));
        results.segmentations().peek((camera, s) -> attach(camera, s.getSequence(), p -> p.segmentation = s),
                Named.as("emostream-live-segmentations"));
        if (analytics == null) return;
        analytics.tracks().peek((camera, t) -> attach(camera, t.getSequence(), p -> p.tracks = t),
                Named.as("emostream-live-tracks"));
        analytics.analytics().peek(this::analysed, Named.as("emostream-live-analytics"));
    }

    private void sample(byte[] key, byte[] value) {
        if (key == null || value == null) return;
        String camera = new String(key, StandardCharsets.UTF_8);
        long now = clock.getAsLong();
        Long last = lastSampled.get(camera);
        if (last != null && now - last < intervalNanos) return;
        VideoFrame frame;
        try {
            frame = frames.deserialize(null, value);
        } catch (RuntimeException e) {
            return; // not a frame: the inference dead-letters it
        }
        if (!camera.equals(frame.getCameraId())) return;
        lastSampled.put(camera, now);
        cameras.computeIfAbsent(camera, c -> new CameraFrames()).add(frame);
    }

    private void analysed(String camera, FrameAnalytics analytics) {
        CameraFrames frames = cameras.get(camera);
        if (frames == null) return;
        frames.count(analytics);
        attach(camera, analytics.getSequence(), p -> p.analytics = analytics);
    }

    private void attach(String camera, long sequence, Consumer<PendingFrame> result) {
        CameraFrames frames = cameras.get(camera);
        if (frames == null) return;
        PendingFrame complete = frames.attach(sequence, result, expected);
        if (complete == null) return;
        try {
            hub.publish(camera, UpdateJson.event(complete, geometryOf(camera), frames.crossings()));
        } catch (RuntimeException e) {
            log.warn("live view: no update for camera {} frame {}: {}", camera, sequence, e.toString());
        }
    }

    private CameraConfig geometryOf(String camera) {
        try {
            return geometry.apply(camera);
        } catch (RuntimeException e) {
            return null; // the store is not queryable during a rebalance: this update shows no zones
        }
    }

    LiveHub hub() {
        return hub;
    }

    /** Ends the open update streams. */
    @Override
    public void close() {
        events.close();
    }
}
