package io.emostream.cli;

import io.emostream.cli.annotate.Annotator;
import io.emostream.cli.annotate.OutputTarget;
import io.emostream.cli.annotate.ProgressReport;
import io.emostream.processors.analytics.InvalidCameraConfigException;
import io.emostream.schemas.CameraConfig;
import io.emostream.topology.TimeText;
import io.emostream.topology.analytics.CameraConfigFile;
import io.emostream.topology.analytics.ZoneAnalytics;
import io.emostream.topology.app.EmoStreamAppConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code emostream annotate}: one camera's frames with their results drawn on, from the topics, as a video. */
@Command(name = "annotate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reads a camera's frames and their results (detections, segmentation, tracks, dead letters) "
                + "back from the topics, draws them with OpenCV (boxes with class, score and track id in their class "
                + "colour, the mask as a coloured overlay, the camera's zones and lines) and writes an H.264 MP4 at "
                + "the camera's rate, or one JPEG per frame.",
                "Every frame in the range is written: one without a result yet says 'no result yet', a "
                        + "dead-lettered one names its dead letters, and each names the untrained models behind "
                        + "its results. Topic names come from --config, EMOSTREAM_* variables and -s, as for run."})
public final class AnnotateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--camera", required = true, paramLabel = "ID", description = "The camera id (the frames' key).")
    String camera;

    @Option(names = "--out", required = true, paramLabel = "FILE.mp4|DIR", description = "An MP4 file, or a "
            + "directory for JPEG frames named frame-<sequence>.jpg (an existing one, or a new one named without an "
            + "extension).")
    Path out;

    @Option(names = "--from", paramLabel = "TIME", description = "First capture time to include: ISO-8601 with a "
            + "zone (2026-11-30T12:00:00Z, 2026-11-30T13:00:00+01:00) or epoch milliseconds (default: the first "
            + "frame).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Last capture time to include, as --from (default: "
            + "the last frame).")
    String to;

    @Option(names = "--fps", paramLabel = "N", description = "Frame rate of the video (default: the camera's, from "
            + "its frames' capture times; " + Annotator.FALLBACK_FRAMES_PER_SECOND + " when fewer than two frames "
            + "have results).")
    Double fps;

    @Option(names = "--mask-opacity", paramLabel = "0..1", description = "Opacity of the segmentation overlay; 0 "
            + "draws none (default: " + Annotator.DEFAULT_MASK_OPACITY + ").")
    double maskOpacity = Annotator.DEFAULT_MASK_OPACITY;

    @Option(names = "--cameras-config", paramLabel = "FILE", description = "YAML file of each camera's zones and "
            + "lines, as for run (sets " + ZoneAnalytics.CAMERAS_CONFIG_FILE + "); the accepted camera-config topic's "
            + "record for the camera wins over it.")
    Path camerasConfig;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file naming the topics (and the "
            + "cluster), as for run.")
    Path config;

    @Mixin
    ClusterOption cluster;

    @Mixin
    SettingsOption overrides;

    @Override
    public Integer call() throws Exception {
        Instant first = time("--from", from, Instant.EPOCH);
        Instant last = time("--to", to, TimeText.LATEST);
        if (first.isAfter(last)) {
            throw new UsageException("--from " + from + " is after --to " + to + ": swap them");
        }
        if (fps != null && !(fps > 0 && fps <= 1000)) {
            throw new UsageException("--fps must be above 0 and at most 1000, got " + fps);
        }
        if (!(maskOpacity >= 0 && maskOpacity <= 1)) {
            throw new UsageException("--mask-opacity must be 0..1, got " + maskOpacity);
        }
        OutputTarget target = OutputTarget.of(out);
        Map<String, String> flags = new HashMap<>(overrides.settings);
        if (camerasConfig != null) flags.put(ZoneAnalytics.CAMERAS_CONFIG_FILE, camerasConfig.toString());
        EmoStreamAppConfig settings = RunCommand.settings(config, cluster.bootstrapServers, flags, System.getenv());
        CameraConfig fileZones = fileZones(settings.getString(ZoneAnalytics.CAMERAS_CONFIG_FILE));
        String bootstrapServers = (String) settings.streamsProperties().get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        PrintWriter err = spec.commandLine().getErr();
        Annotator.Summary summary = Annotator.annotate(bootstrapServers, settings, new Annotator.Request(camera,
                first, last, target, fps, maskOpacity, fileZones), ProgressReport.forStderr(err));
        print(summary, spec.commandLine().getOut());
        return Main.EXIT_OK;
    }

    /** The summary lines of a finished annotation; the demo prints them too. */
    static void print(Annotator.Summary s, PrintWriter out) {
        out.printf(Locale.ROOT, "wrote %s: %d frames, %dx%d%s; %d without a result yet, %d with dead letters%n",
                s.output(), s.frames(), s.width(), s.height(),
                s.output().endsWith(".mp4") ? String.format(Locale.ROOT, " at %.2f fps", s.framesPerSecond()) : "",
                s.withoutResult(), s.deadLettered());
        if (!s.untrainedModels().isEmpty()) {
            out.println("UNTRAINED weights (" + String.join(", ", s.untrainedModels()) + "): the drawn boxes and "
                    + "masks are meaningless until trained weights are imported; every frame says so");
        }
        out.flush();
    }

    private static Instant time(String option, String text, Instant absent) {
        if (text == null) return absent;
        try {
            return TimeText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " " + text + " " + e.getMessage());
        }
    }

    /** The camera's zones and lines in the cameras file, if one is set and names the camera. */
    private CameraConfig fileZones(String file) {
        if (file.isBlank()) return null;
        try {
            return CameraConfigFile.load(Path.of(file)).get(camera);
        } catch (InvalidCameraConfigException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }
}
