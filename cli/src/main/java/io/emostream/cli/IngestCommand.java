package io.emostream.cli;

import io.emostream.ingest.CameraConfig;
import io.emostream.ingest.CameraStats;
import io.emostream.ingest.CamerasFile;
import io.emostream.ingest.Ingest;
import io.emostream.ingest.IngestConfigException;
import io.emostream.ingest.IngestException;
import io.emostream.ingest.IngestMetrics;
import io.emostream.ingest.IngestSettings;
import io.emostream.schemas.ImageEncoding;
import io.emostream.topology.http.HttpApiServer;
import io.emostream.topology.http.HttpSettings;
import io.emostream.topology.ops.HealthPages;
import io.emostream.topology.ops.HealthStatus;
import io.emostream.topology.ops.MetricsPage;
import io.emostream.topology.ops.Telemetry;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code emostream ingest}: decode cameras and video files with FFmpeg and publish their frames to Kafka. */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Decodes video files, RTSP/HTTP(S) streams and /dev/videoN devices with FFmpeg, samples them to a target "
                        + "frame rate, resizes and encodes the frames, and publishes them as Avro VideoFrame records "
                        + "keyed by camera id.",
                "Files are read as fast as possible (or at their native rate with --realtime) and end with a summary; "
                        + "live sources run until interrupted, reconnect with exponential backoff and drop their oldest "
                        + "unsent frames rather than build a backlog.",
                "Exit codes: 0 done, 1 runtime failure (broker unreachable, a source that never opened), 2 bad usage."},
        footer = {"", "Cameras file (YAML; a .properties file uses default.<key>= and camera.<id>.<key>=):",
                "  defaults: {fps: 5}",
                "  cameras:",
                "    - {id: gate, source: rtsp://10.0.0.7/stream1, maxSide: 640, metadata: {site: north}}",
                "    - {id: lobby, source: /videos/lobby.mp4, realtime: true}",
                "Keys: id, source, fps, maxFrames, maxSide, encoding, jpegQuality, realtime, maxReconnectAttempts,",
                "timeoutSeconds, options (FFmpeg options, e.g. rtsp_transport: udp), metadata. Values in the file win",
                "over the flags."})
public final class IngestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers to publish to.")
    String bootstrapServers;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Cameras cameras;

    static final class Cameras {
        @ArgGroup(exclusive = false)
        OneCamera one;

        @Option(names = "--cameras", paramLabel = "FILE", description = "YAML or .properties file listing many cameras.")
        Path file;
    }

    static final class OneCamera {
        @Option(names = "--camera", required = true, paramLabel = "ID", description = "Camera id, also the Kafka key.")
        String id;

        @Option(names = "--source", required = true, paramLabel = "URI",
                description = "Video file, rtsp://, http(s):// URL or /dev/videoN.")
        String source;
    }

    @Option(names = "--topic", defaultValue = IngestSettings.DEFAULT_TOPIC, description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--fps", defaultValue = "0", description = "Target frames per second per camera; extra frames are dropped. 0 keeps every frame (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
            description = "Each camera ends after publishing N frames (after --fps), live sources too; 0 for no "
                    + "bound (default: ${DEFAULT-VALUE}).")
    long maxFrames;

    @Option(names = "--max-frames-total", defaultValue = "0", paramLabel = "N",
            description = "The ingest ends after publishing N frames of all cameras together; 0 for no bound "
                    + "(default: ${DEFAULT-VALUE}).")
    long maxFramesTotal;

    @Option(names = "--from-start",
            description = "Read files from their beginning even where an earlier ingest published part of them (by "
                    + "default a file goes on after the last frame of its camera in the topic); sequences go on after "
                    + "the topic's last one either way.")
    boolean fromStart;

    @Option(names = "--max-side", defaultValue = "" + CameraConfig.DEFAULT_MAX_SIDE, paramLabel = "PIXELS",
            description = "Shrink frames so the longer side is at most this, keeping the aspect ratio (default: ${DEFAULT-VALUE}).")
    int maxSide;

    @Option(names = "--encoding", defaultValue = "JPEG", description = "Image encoding: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ImageEncoding encoding;

    @Option(names = "--jpeg-quality", defaultValue = "" + CameraConfig.DEFAULT_JPEG_QUALITY, paramLabel = "1-100",
            description = "JPEG quality (default: ${DEFAULT-VALUE}).")
    int jpegQuality;

    @Option(names = "--realtime", description = "Read files at their native frame rate, like a camera.")
    boolean realtime;

    @Option(names = "--max-reconnect-attempts", defaultValue = "-1", paramLabel = "N",
            description = "Live sources: reconnection attempts in a row before giving up; -1 never gives up (default: ${DEFAULT-VALUE}).")
    int maxReconnectAttempts;

    @Option(names = "--source-timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "Longest a source may take to open or deliver data (default: ${DEFAULT-VALUE}).")
    double sourceTimeout;

    @Option(names = "--broker-timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "How long to wait for Kafka at start-up (default: ${DEFAULT-VALUE}).")
    double brokerTimeout;

    @Option(names = "--producer-config", paramLabel = "FILE",
            description = "Extra Kafka producer properties (security, tuning); they override the defaults.")
    Path producerConfig;

    @Option(names = "--metrics-port", defaultValue = "0", paramLabel = "PORT",
            description = "Serve /metrics (Prometheus: per-camera frames captured, sampled out, sent, dropped, "
                    + "reconnects, encode time; JVM and process memory) and /health/live, /health/ready on this "
                    + "port; 0 serves none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-address", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address the --metrics-port server listens on: 127.0.0.1 serves this machine only, "
                    + "0.0.0.0 all interfaces (it serves only /metrics and /health/*) (default: ${DEFAULT-VALUE}).")
    String metricsAddress;

    @Override
    public Integer call() throws Exception {
        IngestSettings settings;
        try {
            settings = new IngestSettings(bootstrapServers, topic, cameraConfigs(), producerOverrides(),
                    seconds("--broker-timeout", brokerTimeout), IngestSettings.DEFAULT_MAX_IN_FLIGHT,
                    IngestSettings.DEFAULT_RECONNECT_INITIAL, IngestSettings.DEFAULT_RECONNECT_MAX, true,
                    maxFramesTotal, fromStart);
        } catch (IngestConfigException e) {
            throw new UsageException(e.getMessage(), e);
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new UsageException("--metrics-port must be 0..65535, got " + metricsPort);
        }
        Ingest ingest;
        try {
            ingest = Ingest.start(settings);
        } catch (IngestConfigException e) {
            throw new UsageException(e.getMessage(), e);
        }
        // SIGTERM or Ctrl-C: stop reading, send what was read, then report and exit 0.
        StopSignals.onStop(ingest::close);
        try (Telemetry telemetry = metricsPort == 0 ? null : Telemetry.start();
             HttpApiServer server = telemetry == null ? null : serve(ingest, telemetry)) {
            ingest.await(Duration.ofDays(36_500));
        } finally {
            ingest.close();
        }
        return report(ingest.stats());
    }

    /** /metrics and the health pages of the ingest; ready once a camera's source has opened. */
    private HttpApiServer serve(Ingest ingest, Telemetry telemetry) {
        new IngestMetrics(ingest.stats()).bindTo(telemetry.registry());
        HttpApiServer server;
        try {
            server = HttpApiServer.start(HttpSettings.on(metricsAddress, metricsPort));
        } catch (UncheckedIOException e) {
            ingest.close();
            throw new UsageException("--metrics-address " + metricsAddress + " --metrics-port " + metricsPort
                    + ": " + e.getCause().getMessage(), e);
        }
        MetricsPage.addTo(server, telemetry);
        HealthPages.addTo(server, () -> HealthStatus.up("ingesting " + ingest.stats().size() + " camera(s)"),
                () -> ingest.stats().values().stream().anyMatch(CameraStats::opened)
                        ? HealthStatus.up("a camera's source is open")
                        : HealthStatus.down("no camera's source has opened yet"));
        spec.commandLine().getErr().println("metrics at http://" + metricsAddress + ":" + server.port()
                + MetricsPage.PATH);
        return server;
    }

    private int report(Map<String, CameraStats> stats) {
        PrintWriter out = spec.commandLine().getOut();
        List<String> errors = new ArrayList<>();
        stats.forEach((id, s) -> {
            out.println("camera " + id + ": " + s.summary());
            if (s.error() != null) errors.add(s.error());
        });
        out.flush();
        if (errors.isEmpty()) return Main.EXIT_OK;
        throw new IngestException(errors.get(0) + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more cameras failed)" : ""));
    }

    private List<CameraConfig> cameraConfigs() {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("fps", fps);
        flags.put("maxFrames", maxFrames);
        flags.put("maxSide", maxSide);
        flags.put("encoding", encoding.name());
        flags.put("jpegQuality", jpegQuality);
        flags.put("realtime", realtime);
        flags.put("maxReconnectAttempts", maxReconnectAttempts);
        flags.put("timeoutSeconds", seconds("--source-timeout", sourceTimeout).toMillis() / 1000.0);
        if (cameras.file != null) return CamerasFile.load(cameras.file, flags);
        flags.put("id", cameras.one.id);
        flags.put("source", cameras.one.source);
        return List.of(CameraConfig.fromSettings(flags));
    }

    private Map<String, String> producerOverrides() {
        if (producerConfig == null) return Map.of();
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(producerConfig)) {
            props.load(in);
        } catch (IOException e) {
            throw new UsageException("cannot read --producer-config " + producerConfig + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k)));
        return out;
    }

    private static Duration seconds(String flag, double value) {
        if (!(value > 0) || value > 86_400) throw new UsageException(flag + " must be between 0 and 86400 seconds, got " + value);
        return Duration.ofMillis(Math.round(value * 1000));
    }
}
