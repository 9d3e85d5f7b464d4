package io.emostream.ingest;

import io.emostream.schemas.VideoFrame;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A running ingest: checks the cluster, then reads every camera on its own threads and publishes its frames. File
 * cameras end by themselves; live ones run until {@link #close()} or until their frame bound is reached.
 */
public final class Ingest implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ingest.class);
    /** Records per partition read back, at most, to find a camera's last frame. */
    static final int RESUME_LOOKBACK = 10_000;
    private final Producer<String, byte[]> producer;
    private final List<CameraIngest> cameras;
    private final ProgressReporter progress;
    private boolean closed;

    private Ingest(Producer<String, byte[]> producer, List<CameraIngest> cameras, ProgressReporter progress) {
        this.producer = producer;
        this.cameras = cameras;
        this.progress = progress;
    }

    /** Checks that the cluster answers and the topic exists (bounded by the broker timeout), then starts every camera. */
    public static Ingest start(IngestSettings settings) {
        Properties props = ProducerSettings.forFrames(settings.bootstrapServers(), settings.cameras(),
                settings.producerOverrides());
        int topicLimit = BrokerCheck.verify(props, settings.topic(), settings.brokerTimeout());
        int requestLimit = Integer.parseInt(props.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        int maxRecordBytes = Math.min(requestLimit, topicLimit) - 1024;
        if (topicLimit < ProducerSettings.largestFrameBytes(settings.cameras())) {
            log.info("topic {} accepts messages up to {} bytes; larger frames are dropped with a warning",
                    settings.topic(), topicLimit);
        }
        Producer<String, byte[]> producer;
        try {
            producer = new KafkaProducer<>(props);
        } catch (KafkaException e) {
            throw new IngestConfigException("invalid producer configuration: " + e.getMessage(), e);
        }
        FramePublisher publisher = new FramePublisher(producer, settings.topic(), maxRecordBytes);
        Instant start = Instant.now();
        List<CameraIngest> cameras = new ArrayList<>();
        FrameBudget totalBudget = new FrameBudget(settings.maxFramesTotal());
        Map<String, ResumePoint> resume = resumePoints(props, settings);
        for (CameraConfig camera : settings.cameras()) {
            cameras.add(new CameraIngest(camera, publisher, settings.maxInFlight(),
                    new Backoff(settings.reconnectInitial(), settings.reconnectMax()), start, totalBudget,
                    resume.get(camera.id())));
        }
        ProgressReporter progress = new ProgressReporter(cameras, settings.progress());
        cameras.forEach(CameraIngest::start);
        progress.start();
        return new Ingest(producer, cameras, progress);
    }

    /** Where each camera goes on after the frames earlier ingests left in the topic (docs: "Restarts"). */
    private static Map<String, ResumePoint> resumePoints(Properties props, IngestSettings settings) {
        List<String> ids = settings.cameras().stream().map(CameraConfig::id).toList();
        Map<String, VideoFrame> last = LastPublishedFrames.find(props, settings.topic(), ids, RESUME_LOOKBACK,
                settings.brokerTimeout());
        Map<String, ResumePoint> points = new LinkedHashMap<>();
        for (CameraConfig camera : settings.cameras()) {
            VideoFrame frame = last.get(camera.id());
            ResumePoint point = frame == null ? ResumePoint.FRESH : ResumePoint.after(frame);
            if (settings.fromStart()) point = point.sequenceOnly();
            if (frame != null) {
                boolean continues = !camera.kind().live() && point.continuesFile(FrameSource.redact(camera.source()));
                log.info("camera {}: the topic's last frame of it is {}; {}, sequences go on at {}", camera.id(),
                        frame.getSequence(), continues ? "the file goes on after "
                                + point.positionMicros() / 1e6 + " s" : "the source starts from its beginning",
                        point.nextSequence());
            }
            points.put(camera.id(), point);
        }
        return points;
    }

    /** Waits until every camera has ended (files read, sources given up); false on timeout. */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CameraIngest camera : cameras) {
            if (!camera.await(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) return false;
        }
        return true;
    }

    /** Counters per camera id, live. */
    public Map<String, CameraStats> stats() {
        Map<String, CameraStats> out = new LinkedHashMap<>();
        cameras.forEach(c -> out.put(c.camera().id(), c.stats()));
        return out;
    }

    /** Stops reading, sends what was read, waits for every acknowledgement and closes the producer. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        cameras.forEach(CameraIngest::stop);
        try {
            if (!await(Duration.ofSeconds(30))) log.warn("some cameras did not stop within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
        producer.close(Duration.ofSeconds(30));
        progress.stop();
    }
}
