package io.emostream.cli;

import io.emostream.ingest.CameraConfig;
import io.emostream.ingest.Ingest;
import io.emostream.ingest.IngestSettings;
import io.emostream.ingest.SyntheticVideo;
import io.emostream.models.runtime.ModelLoadException;
import io.emostream.models.runtime.Predictor;
import io.emostream.processors.analytics.InvalidCameraConfigException;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.ResultReader;
import io.emostream.topology.TimeText;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.topology.analytics.CameraConfigFile;
import io.emostream.topology.analytics.CameraStatsWindows;
import io.emostream.topology.analytics.ZoneAnalytics;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.TopicProvisioner;
import io.emostream.topology.http.CameraQueryApi;
import io.emostream.topology.http.HttpSettings;
import io.emostream.cli.annotate.Annotator;
import io.emostream.cli.annotate.OutputTarget;
import io.emostream.cli.annotate.ProgressReport;
import io.emostream.cli.demo.AnalyticsReport;
import io.emostream.cli.demo.DemoCamerasConfig;
import io.emostream.topology.ops.HealthPages;
import io.emostream.topology.ops.MetricsPage;
import io.emostream.cli.demo.ResultTally;
import io.emostream.cli.demo.DemoBroker;
import io.emostream.cli.embedded.BrokerJars;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code emostream demo}: the whole pipeline on one machine. An embedded Kafka broker, the default models, a synthetic
 * video (or {@code --source}) ingested as two cameras with a line and a zone each, the application with its camera
 * analytics and query API, and a report from the result and analytics topics whose last line is
 * {@code frames=N detections=N segmentations=N dlq=N lost=N}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the whole pipeline on this machine: an embedded Kafka broker, the default EMO-1M "
                + "SSDLite and DeepLabv3 models (untrained weights), a synthetic video ingested as two cameras, the "
                + "Kafka Streams application with its camera analytics (tracks, a line and a zone per camera, "
                + "occupancy, windowed statistics) and HTTP query API, and a report from the result topics.",
                "The last line is: frames=N detections=N segmentations=N dlq=N lost=N (lost = input frames with "
                        + "neither a result nor a dead-letter record)."})
public final class DemoCommand implements Callable<Integer> {
    private static final List<String> CAMERAS = List.of("demo-cam-1", "demo-cam-2");
    private static final int VIDEO_WIDTH = 320;
    private static final int VIDEO_HEIGHT = 240;
    private static final int VIDEO_FPS = 10;
    private static final int DEFAULT_FRAMES = 60;
    private static final int DEFAULT_HTTP_PORT = 8080;
    /** Windows this short close within the synthetic video's few seconds of capture time. */
    private static final long STATS_WINDOW_MS = 1000;
    /** Give up waiting when no new result arrives for this long. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    /** How long the report waits for each camera's first statistics window once every frame is answered. */
    private static final Duration STATS_WAIT = Duration.ofSeconds(20);
    private static final int DEMO_COMMIT_INTERVAL_MS = 1000;

    @Spec
    CommandSpec spec;

    @Option(names = "--source", paramLabel = "FILE|URI", description = "A video file or stream URI to use instead "
            + "of the synthetic video (ingested as one camera).")
    String source;

    @Option(names = "--frames", paramLabel = "N", description = "Ingest exactly N frames in all, fewer only if "
            + "the source ends first (default: " + DEFAULT_FRAMES + " synthetic frames; all of a --source file; a live "
            + "--source runs until --frames or Ctrl-C).")
    Integer frames;

    @Option(names = "--annotate", paramLabel = "DIR", description = "After the run, write each camera's annotated "
            + "video (results drawn on its frames, as the annotate command does) into DIR as <camera>.mp4.")
    Path annotate;

    @Option(names = "--secure", description = "The demo's clients reach the embedded broker over SASL_SSL "
            + "(SCRAM-SHA-512 over TLS) instead of PLAINTEXT, with a certificate and a password made for this run.")
    boolean secure;

    @Mixin
    AppSettingsOptions overrides;

    @Override
    public Integer call() throws Exception {
        if (frames != null && frames < 1) throw new UsageException("--frames must be at least 1, got " + frames);
        if (annotate != null && !Files.isDirectory(annotate)) {
            throw new UsageException("--annotate " + annotate + ": no such directory; create it first");
        }
        if (source != null && !source.contains("://") && !Files.isRegularFile(Path.of(source))) {
            throw new UsageException("--source " + source + ": no such file (give a video file or a stream URI)");
        }
        BrokerJars.require("the demo");
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("emostream-demo-");
        String summary;
        try {
            List<CameraConfig> cameras = cameras(work, out);
            summary = runDemo(cameras, work, out);
        } finally {
            deleteQuietly(work);
        }
        out.println(summary);
        out.flush();
        return summary.endsWith(" lost=0") ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    /** Broker, application, ingest and report; returns the summary line. */
    private String runDemo(List<CameraConfig> cameras, Path work, PrintWriter out) throws Exception {
        try (DemoBroker kafka = DemoBroker.start(secure, work)) {
            out.println(kafka.describe());
            EmoStreamAppConfig config = config(kafka.clientSettings(), cameras, work);
            try (Admin admin = Admin.create(config.adminProperties("emostream-demo-admin"))) {
                TopicProvisioner.ensure(admin, config);
            }
            out.println("building / loading the models (first run builds them into the model cache) ...");
            out.flush();
            try (EmoStreamApp app = openApp(config)) {
                boolean untrained = describeModels(app, out);
                start(app, config, out);
                long start = System.currentTimeMillis();
                ResultTally tally = new ResultTally(config.getBoolean(EmoStreamConfig.DETECTION_ENABLED),
                        config.getBoolean(EmoStreamConfig.SEGMENTATION_ENABLED), config.analyticsEnabled());
                try (Ingest ingest = Ingest.start(ingestSettings(kafka.bootstrapServers(), kafka.producerSettings(),
                        config.topics().frames(), cameras));
                     ResultReader results = new ResultReader(config.readerProperties("emostream-demo-reader"),
                             config, kinds(config), tally)) {
                    ingestAll(ingest, results);
                    ingest.close();
                    requireFrames(ingest);
                    // after a stall the summary counts the frames still unanswered as lost
                    results.pollUntil(() -> tally.complete() && tally.frames() > 0, STALL_TIMEOUT);
                    if (config.analyticsEnabled()) {
                        // the statistics come through a repartition topic; they follow within a commit or two
                        results.pollUntil(tally::everyCameraHasStats, STATS_WAIT);
                    }
                    // closing commits, which writes out the statistics windows Kafka Streams still caches
                    app.close();
                    results.pollToEnd(STALL_TIMEOUT);
                    report(tally, start, out);
                    if (config.analyticsEnabled()) {
                        AnalyticsReport.write(tally, camerasConfig(config), untrained, out);
                    }
                    if (annotate != null) annotateCameras(kafka.bootstrapServers(), config, tally, out);
                    return String.format(Locale.ROOT, "frames=%d detections=%d segmentations=%d dlq=%d lost=%d",
                            tally.frames(), tally.detections(), tally.segmentations(), tally.deadLetters(),
                            tally.lost());
                }
            }
        }
    }

    /** The --source as one camera, or the synthetic video (written into {@code work}) as two. */
    List<CameraConfig> cameras(Path work, PrintWriter out) throws IOException {
        if (source != null) {
            out.println("source: " + source + " as camera " + CAMERAS.get(0));
            return List.of(camera(CAMERAS.get(0), source));
        }
        int total = frames == null ? DEFAULT_FRAMES : frames;
        int perCamera = Math.max(1, (total + CAMERAS.size() - 1) / CAMERAS.size());
        Path video = work.resolve("synthetic.mp4");
        SyntheticVideo.write(video, VIDEO_WIDTH, VIDEO_HEIGHT, VIDEO_FPS, (double) perCamera / VIDEO_FPS);
        out.printf(Locale.ROOT, "source: synthetic video %dx%d, %d frames, ingested as cameras %s%n", VIDEO_WIDTH,
                VIDEO_HEIGHT, perCamera, String.join(", ", CAMERAS));
        List<CameraConfig> cameras = new ArrayList<>();
        for (String id : CAMERAS) cameras.add(camera(id, video.toString()));
        return cameras;
    }

    /** The demo's cameras in one ingest that ends after --frames in all, with the broker's producer settings. */
    IngestSettings ingestSettings(String bootstrapServers, Map<String, String> producer, String topic,
                                  List<CameraConfig> cameras) {
        IngestSettings settings = IngestSettings.of(bootstrapServers, topic, cameras, producer);
        return frames == null ? settings : settings.withMaxFramesTotal(frames);
    }

    private static CameraConfig camera(String id, String source) {
        return CameraConfig.fromSettings(Map.of("id", id, "source", source, "maxSide", "640"));
    }

    /**
     * The demo's settings, then {@code -s}, then the options: 2 partitions and stream threads, state in the work
     * directory, the demo cameras' zones and lines, the query API on {@value #DEFAULT_HTTP_PORT}, and short windows
     * of camera statistics that also show while open.
     */
    private EmoStreamAppConfig config(Map<String, String> client, List<CameraConfig> cameras, Path work)
            throws IOException {
        Map<String, String> settings = new HashMap<>(client);
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "emostream-demo");
        settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("streams-state").toString());
        settings.put(EmoStreamAppConfig.TOPICS_PARTITIONS, "2");
        settings.put(ZoneAnalytics.CAMERAS_CONFIG_FILE, DemoCamerasConfig.write(work.resolve("cameras.yaml"),
                cameras.stream().map(CameraConfig::id).toList()).toString());
        settings.put(HttpSettings.HTTP_PORT, String.valueOf(DEFAULT_HTTP_PORT));
        settings.put(CameraStatsWindows.WINDOW_SIZE_MS, String.valueOf(STATS_WINDOW_MS));
        settings.put(CameraStatsWindows.EMIT_UPDATES, "true");
        // the windows' updates leave Kafka Streams' cache at each commit: often enough to show them in a short run
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(DEMO_COMMIT_INTERVAL_MS));
        settings.putAll(overrides.given());
        try {
            return new EmoStreamAppConfig(settings);
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private static EmoStreamApp openApp(EmoStreamAppConfig config) {
        try {
            return EmoStreamApp.create(config);
        } catch (ModelLoadException | ConfigException | InvalidCameraConfigException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** Starts the live page and query API (printing their addresses) and processing; a port in use is a usage error. */
    private static void start(EmoStreamApp app, EmoStreamAppConfig config, PrintWriter out) {
        try {
            app.start();
        } catch (UncheckedIOException e) {
            throw new UsageException("--http-port " + config.httpSettings().port() + " is not free ("
                    + e.getCause().getMessage() + "): give a free port, or --http-port 0 for no query API", e);
        }
        if (app.httpPort() == 0) {
            out.println("query API: off (--http-port 0)");
        } else {
            if (config.liveViewSettings().enabled()) out.println("live page: http://localhost:" + app.httpPort() + "/");
            out.println("query API: http://localhost:" + app.httpPort() + CameraQueryApi.PATH);
            out.printf("metrics at http://localhost:%d%s, health at %s and %s%n", app.httpPort(), MetricsPage.PATH,
                    HealthPages.LIVE, HealthPages.READY);
        }
        out.flush();
    }

    private static Set<ResultReader.Kind> kinds(EmoStreamConfig config) {
        Set<ResultReader.Kind> kinds = EnumSet.of(ResultReader.Kind.FRAMES, ResultReader.Kind.DETECTIONS,
                ResultReader.Kind.SEGMENTATIONS, ResultReader.Kind.DEAD_LETTERS);
        if (config.analyticsEnabled()) {
            kinds.addAll(EnumSet.of(ResultReader.Kind.TRACKS, ResultReader.Kind.FRAME_ANALYTICS,
                    ResultReader.Kind.FRAME_OCCUPANCY, ResultReader.Kind.CAMERA_STATS));
        }
        return kinds;
    }

    /** Each camera's annotated video, into the --annotate directory. */
    private void annotateCameras(String bootstrapServers, EmoStreamAppConfig config, ResultTally tally,
                                 PrintWriter out) throws InterruptedException {
        Map<String, io.emostream.schemas.CameraConfig> zones = camerasConfig(config);
        for (String camera : tally.cameras().keySet()) {
            if (tally.cameras().get(camera).frames == 0) continue; // dead letters of no known camera
            Path video = annotate.resolve(camera.replaceAll("[^A-Za-z0-9._-]", "_") + ".mp4");
            Annotator.Summary summary = Annotator.annotate(bootstrapServers, config, new Annotator.Request(camera,
                    Instant.EPOCH, TimeText.LATEST, OutputTarget.of(video), null, Annotator.DEFAULT_MASK_OPACITY,
                    zones.get(camera)), ProgressReport.forStderr(spec.commandLine().getErr()));
            AnnotateCommand.print(summary, out);
        }
    }

    /** The zones and lines of the cameras config file the application read, by camera id. */
    private static Map<String, io.emostream.schemas.CameraConfig> camerasConfig(EmoStreamConfig config) {
        String file = config.getString(ZoneAnalytics.CAMERAS_CONFIG_FILE);
        return file.isBlank() ? Map.of() : CameraConfigFile.load(Path.of(file));
    }

    /** Prints each model; returns whether one has untrained weights. */
    private static boolean describeModels(EmoStreamApp app, PrintWriter out) {
        boolean untrained = false;
        for (Predictor<?> model : app.emo().models()) {
            out.printf("model %s version %s on %s%s%n", model.card().name(), model.card().version(),
                    model.executionProvider(), model.card().untrained() ? " (UNTRAINED weights)" : "");
            untrained |= model.card().untrained();
        }
        if (untrained) {
            out.println("WARNING: UNTRAINED weights (seeded initialisation): detections and masks below are "
                    + "meaningless until trained weights are imported.");
        }
        out.flush();
        return untrained;
    }

    /** Until every camera has ended (its source, or --frames, is exhausted), reading results meanwhile. */
    private static void ingestAll(Ingest ingest, ResultReader results) throws InterruptedException {
        while (!ingest.await(Duration.ofMillis(50))) {
            results.poll(Duration.ZERO);
        }
    }

    private static void requireFrames(Ingest ingest) {
        if (ingest.stats().values().stream().anyMatch(s -> s.published() > 0)) return;
        String errors = ingest.stats().entrySet().stream()
                .map(e -> e.getKey() + ": " + (e.getValue().error() == null ? "no frames" : e.getValue().error()))
                .collect(Collectors.joining("; "));
        throw new IllegalStateException("no frames were ingested (" + errors + ")");
    }

    private static void report(ResultTally tally, long startMs, PrintWriter out) {
        out.println("per camera:");
        tally.cameras().forEach((camera, c) -> out.printf(Locale.ROOT,
                "  %-12s frames %4d  detections %4d  segmentations %4d  dead letters %d%n",
                camera, c.frames, c.detections, c.segmentations, c.deadLetters));
        if (!tally.detectionExamples().isEmpty()) {
            out.println("example detections (UNTRAINED weights: meaningless until trained weights are imported):");
            for (FrameDetections d : tally.detectionExamples()) {
                String boxes = d.getDetections().stream().limit(3).map(DemoCommand::describe)
                        .collect(Collectors.joining(", "));
                out.printf(Locale.ROOT, "  %s #%d: %d objects, e.g. %s%n", d.getCameraId(), d.getSequence(),
                        d.getDetections().size(), boxes);
            }
        }
        for (FrameSegmentation s : tally.segmentationExamples()) {
            String classes = s.getClassFractions().stream().limit(3).map(DemoCommand::describe)
                    .collect(Collectors.joining(", "));
            out.printf(Locale.ROOT, "example segmentation (UNTRAINED): %s #%d, %dx%d mask: %s%n", s.getCameraId(),
                    s.getSequence(), s.getMaskWidth(), s.getMaskHeight(), classes);
        }
        double seconds = Math.max(1, tally.lastInferenceMs() - startMs) / 1000.0;
        out.printf(Locale.ROOT, "throughput: %d frames through detection and segmentation in %.1f s = %.1f frames/s%n",
                tally.frames(), seconds, tally.frames() / seconds);
    }

    private static String describe(Detection d) {
        return String.format(Locale.ROOT, "%s %.2f [%.0f,%.0f,%.0f,%.0f]", d.getLabel(), d.getScore(),
                d.getBox().getX1(), d.getBox().getY1(), d.getBox().getX2(), d.getBox().getY2());
    }

    private static String describe(ClassFraction c) {
        return String.format(Locale.ROOT, "%s %.0f%%", c.getLabel(), 100 * c.getFraction());
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory
        }
    }
}
