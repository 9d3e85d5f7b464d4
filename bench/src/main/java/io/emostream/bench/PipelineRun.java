package io.emostream.bench;

import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.processors.analytics.CameraConfigs;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.ZoneConfig;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.Topics;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One benchmark run of the emostream application on a cluster: fresh topics named after the run (frames with one
 * partition per camera, results stamped with LogAppendTime), the zones and lines of every camera published when the
 * analytics run, a state directory, and the application's settings. Closing deletes the topics (the application's
 * internal ones too) and the state directory.
 */
final class PipelineRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);
    /** A line the disc of {@link BenchFrames} crosses, and zones about the paths of the disc and the boxes. */
    private static final List<ZoneConfig> CAMERA_ZONES = List.of(
            CameraConfigs.zone("left", 0, 0.1, 0.45, 0.1, 0.45, 0.6, 0, 0.6),
            CameraConfigs.zone("middle", 0.4, 0.3, 0.9, 0.3, 0.9, 0.95, 0.4, 0.95));
    private static final List<LineConfig> CAMERA_LINES = List.of(CameraConfigs.line("gate", 0.5, 0, 0.5, 1));

    private final String id = "emostream-bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final String bootstrapServers;
    private final Topics topics = new Topics(id + "-frames", id + "-detections", id + "-segmentations", id + "-dlq");
    private final Admin admin;
    private final Path stateDir;
    private final Map<String, Object> settings;
    private final EmoStreamAppConfig config;

    /**
     * @param appConfig settings applied over the benchmark's own (Kafka Streams tuning, say)
     * @throws InterruptedException when interrupted while creating the topics
     */
    PipelineRun(String bootstrapServers, ModelSet models, RuntimeConfig runtime, int cameras, int streamThreads,
                boolean analytics, Map<String, String> appConfig) throws IOException, InterruptedException {
        this.bootstrapServers = bootstrapServers;
        this.stateDir = Files.createTempDirectory("emostream-bench-state-");
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        try {
            settings = settings(models, runtime, streamThreads, analytics, appConfig);
            config = new EmoStreamAppConfig(settings);
            createTopics(cameras);
            if (config.analyticsEnabled()) {
                createAnalyticsTopics(cameras);
                publishCameraConfigs(cameras);
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    Topics topics() {
        return topics;
    }

    EmoStreamAppConfig config() {
        return config;
    }

    /** The application's settings, for instances in other processes. */
    Map<String, Object> settings() {
        return settings;
    }

    /**
     * Waits until the application's consumer group has {@code members} members (stream threads) and is stable, calling
     * {@code check} (which throws when an instance has died) between looks.
     *
     * @throws IllegalStateException when that takes longer than {@code timeout}
     */
    void awaitGroup(int members, Duration timeout, Runnable check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = "nothing";
        while (System.nanoTime() < deadline) {
            check.run();
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(id)).describedGroups().get(id)
                        .get(30, TimeUnit.SECONDS);
                if (group.members().size() == members && group.groupState() == GroupState.STABLE) {
                    return;
                }
                seen = group.members().size() + " members, " + group.groupState();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) throw e;
                seen = "no group yet";
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("the application's " + members + " consumers did not form a stable group "
                + "within " + timeout.toSeconds() + " s (last seen: " + seen + ")");
    }

    /** A directory of this run's, removed with it. */
    Path stateDir() {
        return stateDir;
    }

    private Map<String, Object> settings(ModelSet models, RuntimeConfig runtime, int streamThreads, boolean analytics,
                                         Map<String, String> appConfig) {
        Map<String, Object> props = new HashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("instance-0").toString());
        props.put(EmoStreamConfig.FRAMES_TOPIC, topics.frames());
        props.put(EmoStreamConfig.DETECTIONS_TOPIC, topics.detections());
        props.put(EmoStreamConfig.SEGMENTATIONS_TOPIC, topics.segmentations());
        props.put(EmoStreamConfig.DEAD_LETTER_TOPIC, topics.deadLetters());
        models.configure(props);
        props.put(EmoStreamConfig.EXECUTION_PROVIDER, runtime.provider().name());
        props.put(EmoStreamConfig.DEVICE_ID, runtime.deviceId());
        props.put(EmoStreamConfig.INTRA_OP_THREADS, runtime.intraOpThreads());
        props.put(EmoStreamConfig.BATCH_CONCURRENCY, runtime.batchConcurrency());
        props.put(EmoStreamConfig.BATCH_MAX_SIZE, runtime.maxBatch());
        props.put(EmoStreamConfig.BATCH_MAX_WAIT_MS, runtime.maxWaitMs());
        props.put(EmoStreamConfig.INFERENCE_TIMEOUT_MS, runtime.requestTimeoutMs());
        // the analytics run on the detections
        props.put(CameraAnalytics.ENABLED, analytics && models.detection() != null);
        props.putAll(new CameraAnalytics.Topics(id + "-tracks", id + "-frame-analytics", id + "-frame-occupancy",
                id + "-camera-stats", id + "-camera-config", id + "-camera-config-accepted").settings());
        props.putAll(appConfig);
        return props;
    }

    /** Frames take large messages; results are stamped with the time the broker wrote them. */
    private void createTopics(int partitions) throws InterruptedException {
        Map<String, String> appendTime = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        TopicProvisioner.create(admin, List.of(
                new NewTopic(topics.frames(), Optional.of(partitions), Optional.empty()).configs(
                        Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(FrameSender.MAX_MESSAGE_BYTES))),
                new NewTopic(topics.detections(), Optional.of(partitions), Optional.empty()).configs(appendTime),
                new NewTopic(topics.segmentations(), Optional.of(partitions), Optional.empty()).configs(appendTime),
                new NewTopic(topics.deadLetters(), Optional.of(partitions), Optional.empty()).configs(appendTime)));
    }

    /** The camera configuration topics are compacted, as the application requires. */
    private void createAnalyticsTopics(int partitions) throws InterruptedException {
        CameraAnalytics.Topics analytics = config.analyticsTopics();
        Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        TopicProvisioner.create(admin, analytics.all().stream().map(name -> new NewTopic(name,
                Optional.of(partitions), Optional.empty()).configs(analytics.compacted().contains(name) ? compact
                : Map.of())).toList());
    }

    /** The zones and lines of every camera, on the operators' topic, for the application to check and apply. */
    private void publishCameraConfigs(int cameras) {
        try (KafkaProducer<String, CameraConfig> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
                AvroSerdes.cameraConfig().serializer())) {
            for (int camera = 0; camera < cameras; camera++) {
                String cameraId = FrameSender.cameraId(camera);
                producer.send(new ProducerRecord<>(config.analyticsTopics().cameraConfig(), cameraId,
                        new CameraConfig(cameraId, CAMERA_ZONES, CAMERA_LINES)));
            }
            producer.flush();
        }
    }

    /** The run's topics: those it created and the application's internal ones, all named after the run. */
    @Override
    public void close() throws IOException {
        try {
            List<String> names = admin.listTopics().names().get(60, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(id + "-")).toList();
            admin.deleteTopics(names).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("could not delete the topics of benchmark run {}: {}", id, e.toString());
        } finally {
            admin.close();
            try (Stream<Path> paths = Files.walk(stateDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
