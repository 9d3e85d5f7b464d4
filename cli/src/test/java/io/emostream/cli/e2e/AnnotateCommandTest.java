package io.emostream.cli.e2e;

import io.emostream.cli.Main;
import io.emostream.cli.annotate.ClassPalette;
import io.emostream.cli.demo.DemoCamerasConfig;
import io.emostream.cli.demo.ResultTally;
import io.emostream.models.Predictors;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.models.runtime.SharedPredictor;
import io.emostream.models.segmentation.SegmentationResult;
import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.EmoStreams;
import io.emostream.topology.ResultReader;
import io.emostream.topology.analytics.ZoneAnalytics;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.TopicProvisioner;
import io.emostream.topology.ops.Telemetry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code annotate} on the topics of a real run: SyntheticVideo's frames (and one corrupt frame after them) go through
 * the application on the embedded broker, with the {@link ShapeFixtureDetector} (known boxes) and the real, untrained
 * EMO-1M DeepLabv3; then the command draws them back out, and FFmpeg and OpenCV read what it wrote.
 * {@code -Dscreenshots=DIR} (relative to the repository root) copies one annotated frame there as
 * {@value #SCREENSHOT}.
 */
class AnnotateCommandTest {
    @RegisterExtension
    static final BrokerWithTestModels kafka = new BrokerWithTestModels();

    private static final String CAMERA = "annotate-cam";
    private static final String SCREENSHOT = "annotated-frame.jpg";
    private static final double VIDEO_SECONDS = 2;
    private static final Duration STALL = Duration.ofSeconds(60);
    /** Frame whose boxes the pixel checks use: both shapes are tracked by then. */
    private static final int CHECKED_FRAME = 7;

    @TempDir
    static Path dir;

    private static Map<String, String> settings;
    private static int videoFrames;
    private static Instant start;
    private static final Map<Long, FrameDetections> detections = new TreeMap<>();

    @BeforeAll
    static void runThePipelineOnTheVideoAndACorruptFrame() throws Exception {
        ShapeVideo video = ShapeVideo.write(dir, VIDEO_SECONDS);
        videoFrames = video.frames();
        settings = TestApps.settings(kafka.bootstrapServers(), dir, "annotate", 1);
        settings.put(ZoneAnalytics.CAMERAS_CONFIG_FILE, DemoCamerasConfig.write(dir.resolve("cameras.yaml"),
                List.of(CAMERA)).toString());
        EmoStreamAppConfig config = new EmoStreamAppConfig(settings);
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.ensure(admin, config);
        }
        start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);
        List<ProducerRecord<String, byte[]>> frames = new ArrayList<>();
        for (int i = 0; i < videoFrames; i++) {
            frames.add(new ProducerRecord<>(config.topics().frames(), CAMERA, video.frame(CAMERA, i, start)));
        }
        frames.add(new ProducerRecord<>(config.topics().frames(), CAMERA, corruptFrame(videoFrames)));

        Telemetry telemetry = Telemetry.start();
        ResultTally tally = new ResultTally(true, true, true);
        try (SharedPredictor<SegmentationResult> segmenter = Predictors.sharedSegmenter(
                Path.of(TestModels.settings().get(EmoStreamConfig.SEGMENTATION_MODEL)), RuntimeConfig.defaults());
             EmoStreamApp app = new EmoStreamApp(config, EmoStreams.withPredictors(new ShapeFixtureDetector(),
                     segmenter, config.processingSettings(), telemetry.registry()), telemetry);
             ResultReader results = new ResultReader(kafka.bootstrapServers(), config,
                     EnumSet.allOf(ResultReader.Kind.class), tally)) {
            app.start();
            kafka.send(frames);
            assertTrue(results.pollUntil(() -> tally.frames() == videoFrames + 1 && tally.complete(), STALL),
                    "every frame answered, with its tracks and occupancy");
        }
        try (ResultReader reader = new ResultReader(kafka.bootstrapServers(), config,
                EnumSet.of(ResultReader.Kind.DETECTIONS), new ResultReader.Handler() {
                    @Override
                    public void detections(FrameDetections d, long writtenMs) {
                        detections.put(d.getSequence(), d);
                    }
                })) {
            assertTrue(reader.pollToEnd(STALL));
        }
    }

    @Test
    void theVideoDecodesWithFfmpegWithAFramePerInputFrameAtTheirSizeAndAKnownBoxInItsClassColour() throws Exception {
        Path video = dir.resolve("annotated.mp4");
        Run run = annotate("--out", video.toString());

        assertEquals(Main.EXIT_OK, run.exit, run::toString);
        assertEquals("", run.err, "no progress lines for so few frames off a terminal");
        assertTrue(run.out.startsWith("wrote " + video + ": " + (videoFrames + 1) + " frames, 320x240 at 10.00 fps; "
                + "0 without a result yet, 1 with dead letters"), run.out);
        assertTrue(run.out.contains("UNTRAINED weights (" + ShapeFixtureDetector.NAME + ", "), run.out);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.start();
            assertEquals(ShapeVideo.WIDTH, grabber.getImageWidth());
            assertEquals(ShapeVideo.HEIGHT, grabber.getImageHeight());
            assertEquals("h264", grabber.getVideoCodecName());
            int decoded = 0;
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                if (decoded == CHECKED_FRAME) {
                    try (Mat mat = converter.convert(frame).clone()) {
                        assertDiscBoxEdgeInClassColour(mat, detections.get((long) CHECKED_FRAME), 25);
                    }
                }
                decoded++;
            }
            assertEquals(videoFrames + 1, decoded, "one video frame per input frame, the corrupt one included");
        }
    }

    @Test
    void theJpegFramesOfATimeRangeAreThoseCapturedInItNamedBySequenceWithTheBoxesInTheirClassColours()
            throws Exception {
        Path frames = dir.resolve("frames");
        Instant from = ShapeVideo.captureTime(start, 5);
        Instant to = ShapeVideo.captureTime(start, 9);
        Run run = annotate("--out", frames.toString(), "--from", from.toString(),
                "--to", String.valueOf(to.toEpochMilli()));

        assertEquals(Main.EXIT_OK, run.exit, run::toString);
        try (Stream<Path> files = Files.list(frames)) {
            assertEquals(List.of("frame-00000005.jpg", "frame-00000006.jpg", "frame-00000007.jpg",
                    "frame-00000008.jpg", "frame-00000009.jpg"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        Path checked = frames.resolve(String.format("frame-%08d.jpg", CHECKED_FRAME));
        try (Mat mat = imread(checked.toString())) {
            assertEquals(ShapeVideo.WIDTH, mat.cols());
            assertDiscBoxEdgeInClassColour(mat, detections.get((long) CHECKED_FRAME), 25);
        }
        String screenshots = System.getProperty("screenshots");
        if (screenshots != null && !screenshots.isBlank()) {
            Path target = repositoryRoot().resolve(screenshots);
            Files.createDirectories(target);
            Files.copy(checked, target.resolve(SCREENSHOT), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void badInputGetsOneLineSayingWhatToFixAndExitCode2() throws Exception {
        Path aFile = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertUsage("camera 'no-such-cam' has no frames on topic 'annotate-frames'; cameras there: " + CAMERA,
                "--camera", "no-such-cam", "--out", dir.resolve("none.mp4").toString());
        assertUsage("camera '" + CAMERA + "' has no frames captured from 2000-01-01T00:00:00Z to "
                        + "2000-01-02T00:00:00Z; its " + (videoFrames + 1) + " frames run from " + start,
                "--out", dir.resolve("none.mp4").toString(), "--from", "2000-01-01T00:00:00Z",
                "--to", "2000-01-02T00:00:00Z");
        assertUsage("--out " + aFile.resolve("x.mp4") + ": " + aFile + " is not a directory; create it first",
                "--out", aFile.resolve("x.mp4").toString());
        assertUsage("--from yesterday is neither an ISO-8601 time with a zone",
                "--out", dir.resolve("none.mp4").toString(), "--from", "yesterday");
        assertUsage("--out " + dir.resolve("x.avi") + ": give a .mp4 file for a video, or a directory",
                "--out", dir.resolve("x.avi").toString());
        assertFalse(Files.exists(dir.resolve("none.mp4")), "nothing written");
    }

    private static void assertUsage(String message, String... args) {
        Run run = annotate(args);
        assertEquals(Main.EXIT_USAGE, run.exit, run::toString);
        List<String> lines = run.err.lines().toList();
        assertEquals(1, lines.size(), run::toString);
        assertTrue(lines.get(0).startsWith("emostream annotate: " + message), run::toString);
    }

    /**
     * The disc's ("person") box, at its left edge low down, where the round disc leaves background inside the box:
     * the stroke there, three pixels wide around the edge, has the class colour (the best of the three columns within
     * {@code tolerance} per channel, for the codec's loss); the background, even under the mask, is far from it.
     */
    private static void assertDiscBoxEdgeInClassColour(Mat bgr, FrameDetections frame, int tolerance) {
        Detection disc = frame.getDetections().stream().filter(d -> d.getClassId() == 0).findFirst().orElseThrow();
        PixelBox box = disc.getBox();
        int y = Math.round(box.getY1() + 0.85f * (box.getY2() - box.getY1()));
        int[] expected = ClassPalette.bgr(disc.getClassId());
        int bestDistance = Integer.MAX_VALUE;
        String seen = "";
        try (UByteIndexer pixels = bgr.createIndexer()) {
            for (int x = Math.round(box.getX1()) - 1; x <= Math.round(box.getX1()) + 1; x++) {
                int distance = 0;
                for (int c = 0; c < 3; c++) distance = Math.max(distance, Math.abs(pixels.get(y, x, c) - expected[c]));
                bestDistance = Math.min(bestDistance, distance);
                seen += " (" + x + ", " + y + "): " + pixels.get(y, x, 0) + "," + pixels.get(y, x, 1) + ","
                        + pixels.get(y, x, 2);
            }
        }
        assertTrue(bestDistance <= tolerance, "the person box's left edge in BGR " + expected[0] + "," + expected[1]
                + "," + expected[2] + " within " + tolerance + "; seen" + seen);
    }

    private record Run(int exit, String out, String err) { }

    private static Run annotate(String... args) {
        List<String> argv = new ArrayList<>(List.of("annotate", "--bootstrap-servers", kafka.bootstrapServers()));
        if (!List.of(args).contains("--camera")) argv.addAll(List.of("--camera", CAMERA));
        settings.forEach((key, value) -> argv.addAll(List.of("-s", key + "=" + value)));
        argv.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(argv.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** A frame that says it is a 320x240 JPEG and is not: the application dead-letters it at decode. */
    private static byte[] corruptFrame(int sequence) {
        VideoFrame frame = VideoFrame.newBuilder().setCameraId(CAMERA).setSequence(sequence)
                .setCaptureTimestamp(ShapeVideo.captureTime(start, sequence)).setIngestTimestamp(Instant.now())
                .setWidth(ShapeVideo.WIDTH).setHeight(ShapeVideo.HEIGHT).setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap("not a JPEG".getBytes(StandardCharsets.UTF_8))).build();
        return AvroSerdes.videoFrame().serialize(null, frame);
    }

    /** Tests run in the cli module's directory; the repository root is its parent. */
    private static Path repositoryRoot() {
        return Path.of("").toAbsolutePath().getParent();
    }
}
