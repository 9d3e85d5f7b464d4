package io.emostream.bench;

import io.emostream.ingest.EncodedImage;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.processors.analytics.CameraConfigs;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.Topics;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.StageLatencies;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.ZoneConfig;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.ResultReader;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The whole path through a broker: frames produced to a topic of P partitions (one camera per partition), the
 * emostream application with T stream threads, results consumed. Each configuration gets fresh topics, a fresh
 * application and fresh models, and runs in two phases:
 * <ol>
 *   <li>Throughput: warm-up + measured frames are produced before the application starts, so it is never starved;
 *   frames per second come from the results' append times (last warm-up result to last result).</li>
 *   <li>Latency: frames are produced at {@value #LATENCY_LOAD} of that throughput, as a camera would send them, with
 *   the capture time set at sending; a frame's latency runs from its capture time to the append time of its result.
 *   Measured at a sustainable rate, since under a backlog latency only measures the backlog.</li>
 * </ol>
 * Result topics use LogAppendTime, so a result's timestamp is when the broker wrote it. With a remote broker the
 * latency mixes two clocks; keep them in sync (NTP).
 * <p>
 * With the camera analytics on ({@value CameraAnalytics#ENABLED}), the application also tracks the detections and
 * runs the zones, lines and windowed statistics after them, in the same stream threads: each camera gets zones and
 * lines across the frames' moving shapes, published on the run's camera configuration topic before the application
 * starts. The figures still come from the detections, so a configuration measured with and without the analytics
 * tells what they cost.
 */
public final class PipelineScenario {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineScenario.class);
    /** Fraction of the measured throughput at which the latency phase sends frames. */
    static final double LATENCY_LOAD = 0.7;
    /** The run fails when no result arrives for this long. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(120);
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** A line the disc of {@link BenchFrames} crosses, and zones about the paths of the disc and the boxes. */
    private static final List<ZoneConfig> CAMERA_ZONES = List.of(
            CameraConfigs.zone("left", 0, 0.1, 0.45, 0.1, 0.45, 0.6, 0, 0.6),
            CameraConfigs.zone("middle", 0.4, 0.3, 0.9, 0.3, 0.9, 0.95, 0.4, 0.95));
    private static final List<LineConfig> CAMERA_LINES = List.of(CameraConfigs.line("gate", 0.5, 0, 0.5, 1));

    private final BenchModel model;
    private final BenchSettings settings;
    private final List<EncodedImage> frames;
    private final String bootstrapServers;
    private final Map<String, String> appConfig;

    /**
     * @param fps            frames per second through the whole pipeline
     * @param latency        capture to result written, frames sent at {@code latencyRateFps}
     * @param latencyRateFps the rate of the latency phase
     * @param stages         per-frame stage times and batch sizes of the throughput phase, from the result records
     * @param peakRssMiB     peak resident memory of the process during this configuration (broker included when it
     *                       is embedded)
     * @param load           1-minute load average of the machine when it was measured
     * @param analytics      whether the camera analytics ran after the detections
     * @param cpuMsPerFrame  CPU time of the whole process per frame of the throughput phase after the warm-up (the
     *                       application, the harness's clients and the embedded broker), or -1 where unknown
     */
    public record Row(int partitions, int streamThreads, boolean analytics, double fps, Latencies latency,
                      double latencyRateFps, StageBreakdown stages, double cpuMsPerFrame, double peakRssMiB,
                      String provider, double load) { }

    /** @param appConfig application settings applied over the benchmark's own (Kafka Streams tuning, say) */
    public PipelineScenario(BenchModel model, BenchSettings settings, List<EncodedImage> frames,
                            String bootstrapServers, Map<String, String> appConfig) {
        this.model = model;
        this.settings = settings;
        this.frames = frames;
        this.bootstrapServers = bootstrapServers;
        this.appConfig = appConfig;
    }

    /** @param analytics whether the camera analytics run (they need a detection model) */
    public Row measure(int partitions, int streamThreads, boolean analytics) throws Exception {
        String run = "emostream-bench-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(run + "-frames", run + "-detections", run + "-segmentations", run + "-dlq");
        CameraAnalytics.Topics analyticsTopics = new CameraAnalytics.Topics(run + "-tracks",
                run + "-frame-analytics", run + "-frame-occupancy", run + "-camera-stats", run + "-camera-config",
                run + "-camera-config-accepted");
        Path stateDir = Files.createTempDirectory("emostream-bench-state-");
        EmoStreamAppConfig appConfig = new EmoStreamAppConfig(config(run, topics, analyticsTopics, analytics,
                streamThreads, stateDir));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            try {
                createTopics(admin, topics, partitions);
                if (appConfig.analyticsEnabled()) {
                    createAnalyticsTopics(admin, appConfig.analyticsTopics(), partitions);
                    publishCameraConfigs(appConfig.analyticsTopics().cameraConfig(), partitions);
                }
                return measure(appConfig, topics, partitions, streamThreads, stateDir);
            } finally {
                deleteTopics(admin, run);
            }
        } finally {
            deleteTree(stateDir);
        }
    }

    private Row measure(EmoStreamAppConfig config, Topics topics, int partitions, int streamThreads, Path stateDir)
            throws Exception {
        MachineState.resetPeakRss();
        int backlog = settings.warmup() + settings.frames();
        try (FrameSender sender = new FrameSender(topics.frames(), partitions);
             Results results = new Results(bootstrapServers, topics, model.detection())) {
            for (int i = 0; i < backlog; i++) {
                sender.send(i);
            }
            sender.flush();
            String provider;
            double fps;
            StageBreakdown stages;
            Latencies latency;
            double rate;
            double cpuMsPerFrame;
            try (EmoStreamApp app = EmoStreamApp.create(config)) {
                provider = app.emo().models().get(0).executionProvider();
                long started = System.currentTimeMillis();
                app.start();
                // CPU time is taken from the first results on, so the application's start does not count
                List<Result> drained = new ArrayList<>(results.collect(Math.max(1, settings.warmup())));
                double cpuFrom = MachineState.processCpuMs();
                List<Result> measured = results.collect(backlog - drained.size());
                cpuMsPerFrame = measured.isEmpty() || cpuFrom < 0 ? -1
                        : (MachineState.processCpuMs() - cpuFrom) / measured.size();
                drained.addAll(measured);
                drained.sort(Comparator.comparingLong(Result::writtenMs));
                fps = throughput(drained, started);
                StageBreakdown.Accumulator acc = new StageBreakdown.Accumulator();
                for (Result r : drained.subList(settings.warmup(), drained.size())) {
                    StageLatencies l = r.latencies();
                    acc.add(l.getDecodeMs(), l.getQueueMs(), l.getInferenceMs(), l.getPostprocessMs(),
                            l.getBatchSize());
                }
                stages = acc.breakdown();
                rate = LATENCY_LOAD * fps;
                latency = pacedLatency(sender, results, backlog, rate);
            }
            return new Row(partitions, streamThreads, config.analyticsEnabled(), fps, latency, rate, stages,
                    cpuMsPerFrame, MachineState.peakRssMiB(), provider, MachineState.loadAverage());
        }
    }

    /**
     * Measured frames / time from the last warm-up result to the last result (from the application's start without
     * warm-up).
     */
    private double throughput(List<Result> sorted, long startedMs) {
        long from = settings.warmup() == 0 ? startedMs : sorted.get(settings.warmup() - 1).writtenMs();
        long to = sorted.get(sorted.size() - 1).writtenMs();
        return settings.frames() / (Math.max(1, to - from) / 1000.0);
    }

    /** Sends {@code frames} frames at {@code rate} per second from a second thread and collects their latencies. */
    private Latencies pacedLatency(FrameSender sender, Results results, int firstIndex, double rate)
            throws Exception {
        int count = settings.frames();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread camera = new Thread(() -> {
            long start = System.nanoTime();
            try {
                for (int i = 0; i < count; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    sender.send(firstIndex + i);
                }
                sender.flush();
            } catch (Exception e) {
                failure.set(e);
            }
        }, "bench-camera");
        camera.setDaemon(true);
        camera.start();
        List<Result> paced = results.collect(count);
        camera.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        double[] ms = new double[paced.size()];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = paced.get(i).writtenMs() - paced.get(i).captureMs();
        }
        return Latencies.ofMillis(ms);
    }

    /** Sends frames; a frame the broker did not take fails the run at the next {@link #flush}. */
    private final class FrameSender implements AutoCloseable {
        private final KafkaProducer<String, VideoFrame> producer = producer();
        private final String topic;
        private final int partitions;
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        FrameSender(String topic, int partitions) {
            this.topic = topic;
            this.partitions = partitions;
        }

        void send(int index) {
            producer.send(frame(topic, partitions, index), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
        }

        void flush() {
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("cannot produce frames to " + topic + ": "
                        + failure.get().getMessage(), failure.get());
            }
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** Frame {@code index}: camera {@code index % partitions}, on the partition of the same number. */
    private ProducerRecord<String, VideoFrame> frame(String topic, int partitions, int index) {
        EncodedImage image = frames.get(index % frames.size());
        int camera = index % partitions;
        VideoFrame frame = image.frame("cam-" + camera, index / partitions, Instant.now(), Map.of());
        return new ProducerRecord<>(topic, camera, "cam-" + camera, frame);
    }

    private Map<String, Object> config(String run, Topics topics, CameraAnalytics.Topics analyticsTopics,
                                       boolean analytics, int streamThreads, Path stateDir) {
        RuntimeConfig runtime = settings.runtime();
        Map<String, Object> props = new HashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, run);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(EmoStreamConfig.FRAMES_TOPIC, topics.frames());
        props.put(EmoStreamConfig.DETECTIONS_TOPIC, topics.detections());
        props.put(EmoStreamConfig.SEGMENTATIONS_TOPIC, topics.segmentations());
        props.put(EmoStreamConfig.DEAD_LETTER_TOPIC, topics.deadLetters());
        props.put(EmoStreamConfig.DETECTION_ENABLED, model.detection());
        props.put(EmoStreamConfig.SEGMENTATION_ENABLED, !model.detection());
        props.put(model.detection() ? EmoStreamConfig.DETECTION_MODEL : EmoStreamConfig.SEGMENTATION_MODEL,
                model.onnx().toString());
        props.put(EmoStreamConfig.EXECUTION_PROVIDER, runtime.provider().name());
        props.put(EmoStreamConfig.DEVICE_ID, runtime.deviceId());
        props.put(EmoStreamConfig.INTRA_OP_THREADS, runtime.intraOpThreads());
        props.put(EmoStreamConfig.BATCH_CONCURRENCY, runtime.batchConcurrency());
        props.put(EmoStreamConfig.BATCH_MAX_SIZE, runtime.maxBatch());
        props.put(EmoStreamConfig.BATCH_MAX_WAIT_MS, runtime.maxWaitMs());
        props.put(EmoStreamConfig.INFERENCE_TIMEOUT_MS, runtime.requestTimeoutMs());
        props.put(CameraAnalytics.ENABLED, analytics);
        props.putAll(analyticsTopics.settings());
        props.putAll(appConfig);
        return props;
    }

    private KafkaProducer<String, VideoFrame> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // one request in flight: a retried first batch cannot leave later ones out of sequence
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        return new KafkaProducer<>(props, new StringSerializer(), AvroSerdes.videoFrame().serializer());
    }

    /** Frames take large messages; results are stamped with the time the broker wrote them. */
    private static void createTopics(Admin admin, Topics topics, int partitions) throws InterruptedException {
        Map<String, String> appendTime = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        TopicProvisioner.create(admin, List.of(
                new NewTopic(topics.frames(), Optional.of(partitions), Optional.empty())
                        .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_MESSAGE_BYTES))),
                new NewTopic(topics.detections(), Optional.of(partitions), Optional.empty()).configs(appendTime),
                new NewTopic(topics.segmentations(), Optional.of(partitions), Optional.empty()).configs(appendTime),
                new NewTopic(topics.deadLetters(), Optional.of(partitions), Optional.empty()).configs(appendTime)));
    }

    /** The camera configuration topics are compacted, as the application requires. */
    private static void createAnalyticsTopics(Admin admin, CameraAnalytics.Topics topics, int partitions)
            throws InterruptedException {
        Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        TopicProvisioner.create(admin, topics.all().stream().map(name -> new NewTopic(name, Optional.of(partitions),
                Optional.empty()).configs(topics.compacted().contains(name) ? compact : Map.of())).toList());
    }

    /** The zones and lines of every camera, on the operators' topic, for the application to check and apply. */
    private void publishCameraConfigs(String topic, int partitions) {
        try (KafkaProducer<String, CameraConfig> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
                AvroSerdes.cameraConfig().serializer())) {
            for (int camera = 0; camera < partitions; camera++) {
                String id = "cam-" + camera;
                producer.send(new ProducerRecord<>(topic, id, new CameraConfig(id, CAMERA_ZONES, CAMERA_LINES)));
            }
            producer.flush();
        }
    }

    /** The run's topics: those it created and the application's internal ones, all named after the run. */
    private static void deleteTopics(Admin admin, String run) {
        try {
            List<String> names = admin.listTopics().names().get(60, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(run + "-")).toList();
            admin.deleteTopics(names).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("could not delete the topics of benchmark run {}: {}", run, e.toString());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One result as the benchmark sees it: when its frame was captured and when its result was written. */
    private record Result(long captureMs, long writtenMs, StageLatencies latencies) { }

    /** Collects the results of the benchmarked model as they are read; a dead letter fails the run. */
    private static final class Results implements ResultReader.Handler, AutoCloseable {
        private final ResultReader reader;
        private final List<Result> received = new ArrayList<>();

        Results(String bootstrapServers, Topics topics, boolean detection) {
            reader = new ResultReader(bootstrapServers, topics, EnumSet.of(detection ? ResultReader.Kind.DETECTIONS
                    : ResultReader.Kind.SEGMENTATIONS, ResultReader.Kind.DEAD_LETTERS), this);
        }

        /** The next {@code count} results (or more, when more arrived at once). */
        List<Result> collect(int count) {
            if (!reader.pollUntil(() -> received.size() >= count, STALL_TIMEOUT)) {
                throw new IllegalStateException("no result for " + STALL_TIMEOUT.toSeconds() + " s after "
                        + received.size() + " of " + count + " frames; is the application running?");
            }
            List<Result> out = new ArrayList<>(received);
            received.clear();
            return out;
        }

        @Override
        public void detections(FrameDetections d, long writtenMs) {
            received.add(new Result(d.getCaptureTimestamp().toEpochMilli(), writtenMs, d.getLatencies()));
        }

        @Override
        public void segmentation(FrameSegmentation s, long writtenMs) {
            received.add(new Result(s.getCaptureTimestamp().toEpochMilli(), writtenMs, s.getLatencies()));
        }

        @Override
        public void deadLetter(DeadLetter dead) {
            throw new IllegalStateException("a frame went to the dead-letter topic at stage " + dead.getStage()
                    + ": " + dead.getErrorMessage());
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
