package io.emostream.cli;

import io.emostream.models.runtime.ModelLoadException;
import io.emostream.models.runtime.Predictor;
import io.emostream.processors.analytics.InvalidCameraConfigException;
import io.emostream.schemas.config.SecretMasking;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.analytics.ZoneAnalytics;
import io.emostream.topology.Topics;
import io.emostream.topology.app.ConfigLoader;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.KafkaAccess;
import io.emostream.topology.app.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code emostream run}: the application against any Kafka cluster, until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs EMO detection and segmentation on the frames topic of a Kafka cluster until stopped "
                + "(SIGTERM or Ctrl-C: Kafka Streams closes, committing what was processed, then the models; exit "
                + "code 0 when that took at most shutdown.timeout.ms, 1 after a fatal error).",
                "Settings come from --config, then EMOSTREAM_* environment variables (EMOSTREAM_BATCH_MAX_SIZE sets "
                        + "batch.max.size), then flags. Keys emostream does not define go to Kafka Streams."})
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with emostream and Kafka "
            + "Streams settings.")
    Path config;

    @Mixin
    ClusterOption cluster;

    @Mixin
    AppSettingsOptions overrides;

    @Override
    public Integer call() throws Exception {
        EmoStreamAppConfig settings = settings(config, cluster.bootstrapServers, overrides.given(), System.getenv());
        EmoStreamApp app;
        try {
            app = EmoStreamApp.create(settings);
        } catch (ModelLoadException | ConfigException | InvalidCameraConfigException e) {
            throw new UsageException(e.getMessage(), e);
        }
        try (Admin admin = Admin.create(settings.adminProperties("emostream-run-admin"))) {
            List<String> created = TopicProvisioner.ensure(admin, settings);
            if (!created.isEmpty()) log.info("created topics {}", created);
            KafkaAccess.verify(admin, settings);
        } catch (ConfigException e) {
            app.close();
            throw new UsageException(e.getMessage(), e);
        } catch (RuntimeException | InterruptedException e) {
            app.close();
            throw e;
        }
        logStart(settings, app);
        CountDownLatch stopped = new CountDownLatch(1);
        app.addStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) stopped.countDown();
        });
        StopSignals.onStop(stopped::countDown);
        // any other way out of the JVM (SIGHUP, System.exit) still closes in order
        Runtime.getRuntime().addShutdownHook(new Thread(app::shutDown, "emostream-shutdown"));
        app.start();
        stopped.await();
        boolean failed = !app.health().live().ok();
        log.info("stopping: closing Kafka Streams (committing what was processed, within {} ms), then the models",
                settings.lifecycleSettings().shutdownTimeout().toMillis());
        boolean closedInTime = app.shutDown();
        if (failed) log.error("stopped after a fatal error: {}", app.health().live().detail());
        return failed || !closedInTime ? Main.EXIT_FAILURE : Main.EXIT_OK;
    }

    /** File, then environment, then flags; a missing cluster address or an invalid value is a usage error. */
    static EmoStreamAppConfig settings(Path file, String bootstrapServers, Map<String, String> overrides,
                                    Map<String, String> environment) {
        Map<String, String> flags = new HashMap<>(overrides);
        if (bootstrapServers != null) flags.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try {
            Map<String, String> props = ConfigLoader.load(file, environment, flags);
            if (props.getOrDefault(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "").isBlank()) {
                throw new UsageException("no Kafka cluster given: pass --bootstrap-servers HOST:PORT or set "
                        + "bootstrap.servers in the configuration file");
            }
            EmoStreamAppConfig config = new EmoStreamAppConfig(props);
            config.httpSettings(); // refuses an open query API before the models load
            return config;
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private static void logStart(EmoStreamAppConfig settings, EmoStreamApp app) {
        Topics t = settings.topics();
        Map<String, Object> streams = settings.streamsProperties();
        log.debug("settings from file, environment and flags (secrets hidden): {}",
                SecretMasking.masked(new TreeMap<>(settings.originals())));
        log.info("topics: frames '{}' -> detections '{}', segmentations '{}', dead letters '{}'", t.frames(),
                t.detections(), t.segmentations(), t.deadLetters());
        if (settings.analyticsEnabled()) {
            CameraAnalytics.Topics a = settings.analyticsTopics();
            log.info("camera analytics: tracks '{}', frame analytics '{}', occupancy '{}', camera stats '{}'; zones "
                    + "and lines from '{}'{}", a.tracks(), a.frameAnalytics(), a.frameOccupancy(), a.cameraStats(),
                    a.cameraConfig(), settings.getString(ZoneAnalytics.CAMERAS_CONFIG_FILE).isBlank() ? ""
                            : " and " + settings.getString(ZoneAnalytics.CAMERAS_CONFIG_FILE));
        }
        log.info("batching up to {} frames per model, waiting at most {} ms; inference timeout {} ms",
                settings.getInt(EmoStreamConfig.BATCH_MAX_SIZE), settings.getLong(EmoStreamConfig.BATCH_MAX_WAIT_MS),
                settings.getLong(EmoStreamConfig.INFERENCE_TIMEOUT_MS));
        log.info("application id {}, processing guarantee {}, {} stream thread(s)",
                streams.get(StreamsConfig.APPLICATION_ID_CONFIG),
                streams.getOrDefault(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE),
                streams.getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1));
        for (Predictor<?> model : app.emo().models()) {
            log.info("model {} version {} ({}) on execution provider {}", model.card().name(),
                    model.card().version(), model.card().task().name().toLowerCase(), model.executionProvider());
            if (model.card().untrained()) {
                log.warn("*** model {} has UNTRAINED weights ({}): its results are meaningless until trained "
                        + "weights are imported ***", model.card().name(),
                        model.card().weights() == null ? "no provenance" : model.card().weights().description());
            }
        }
    }
}
