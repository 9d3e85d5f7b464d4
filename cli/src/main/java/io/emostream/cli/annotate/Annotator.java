package io.emostream.cli.annotate;

import io.emostream.cli.UsageException;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.image.ImageDecoder;
import io.emostream.models.image.ImageFormat;
import io.emostream.models.image.InvalidImageException;
import io.emostream.models.image.MatImage;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.VideoFrame;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.ResultReader;
import io.emostream.topology.ResultReader.Kind;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * {@code annotate}: one camera's frames with their results drawn on, from the topics. Two reads, each from the
 * topics' beginning (with a start time, from their first record stamped at or after it): first the results, tracks, dead letters and accepted zones and lines of the camera's frames in
 * the time range (small, held by frame), then the frames, each joined with what the first read found for it by
 * sequence and capture time, painted and written at once, so that frames are never held. Every frame of the range
 * is written: one without any result yet says "no result yet", a dead-lettered one names its dead letters (drawn on
 * a grey canvas when its image cannot be decoded), and every frame names the untrained models behind its results.
 */
public final class Annotator {
    /** The rate of a video when the results do not show the camera's (fewer than two frames with results). */
    public static final double FALLBACK_FRAMES_PER_SECOND = 10;
    /** The segmentation overlay's opacity: the frame shows through it at 1 - this. */
    public static final double DEFAULT_MASK_OPACITY = 0.4;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int CAMERAS_NAMED = 10;
    private static final Set<Kind> RESULT_KINDS = EnumSet.of(Kind.DETECTIONS, Kind.SEGMENTATIONS, Kind.TRACKS,
            Kind.DEAD_LETTERS, Kind.CAMERA_CONFIGS);
    /** The topics whose records are stamped no earlier than their frame's capture time: a --from skips by stamp. */
    private static final Set<Kind> CAPTURE_STAMPED = EnumSet.of(Kind.FRAMES, Kind.DETECTIONS, Kind.SEGMENTATIONS,
            Kind.TRACKS, Kind.DEAD_LETTERS);

    /**
     * What to annotate.
     *
     * @param framesPerSecond the video's rate, or null for the camera's
     * @param fileZones       the camera's zones and lines from a cameras file, or null; the accepted camera-config
     *                        topic's record wins, as in the application
     */
    public record Request(String camera, Instant from, Instant to, OutputTarget out, Double framesPerSecond,
                         double maskOpacity, CameraConfig fileZones) { }

    /** What was written. */
    public record Summary(String output, int frames, int width, int height, double framesPerSecond,
                          int withoutResult, int deadLettered, List<String> untrainedModels) { }

    private Annotator() { }

    /**
     * @throws UsageException when the frames topic does not exist, the camera has no frames on it, or none in range
     * @throws IllegalStateException when the output cannot be written, or the cluster does not answer
     */
    public static Summary annotate(String bootstrapServers, EmoStreamConfig config, Request request,
                                   ProgressReport progress) throws InterruptedException {
        Set<String> topics = topics(bootstrapServers);
        String framesTopic = config.topics().frames();
        if (!topics.contains(framesTopic)) {
            throw new UsageException("there is no topic '" + framesTopic + "' at " + bootstrapServers
                    + ": check --bootstrap-servers and " + EmoStreamConfig.FRAMES_TOPIC);
        }
        CameraResults results = new CameraResults(request, framesTopic);
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (Kind kind : RESULT_KINDS) {
            if (topics.contains(kind.topic(config))) kinds.add(kind);
        }
        if (!kinds.isEmpty()) {
            try (ResultReader reader = new ResultReader(bootstrapServers, config, kinds, results)) {
                if (request.from().isAfter(Instant.EPOCH)) reader.seekTo(request.from(), CAPTURE_STAMPED);
                requireEnd(reader.readToEnd(STALL_TIMEOUT, progress.reading("reading results", null)));
            }
            progress.finish();
        }
        double fps = request.framesPerSecond() != null ? request.framesPerSecond()
                : results.framesPerSecond().orElse(FALLBACK_FRAMES_PER_SECOND);
        CameraConfig zones = results.zonesAndLines() != null ? results.zonesAndLines() : request.fileZones();
        FramePass pass = new FramePass(request, results, zones, new ImageDecoder(
                config.processingSettings().imageLimits()));
        try (AnnotatedOutput output = request.out().open(fps)) {
            pass.output = output;
            try (ResultReader reader = new ResultReader(bootstrapServers, config, EnumSet.of(Kind.FRAMES), pass)) {
                if (request.from().isAfter(Instant.EPOCH)) reader.seekTo(request.from(), CAPTURE_STAMPED);
                requireEnd(reader.readToEnd(STALL_TIMEOUT, progress.reading("annotating " + request.camera(),
                        output::frames)));
            }
            progress.finish();
            pass.requireFrames(framesTopic);
            return new Summary(output.toString(), output.frames(), pass.width, pass.height, fps, pass.withoutResult,
                    pass.deadLettered, pass.untrained);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e);
        }
    }

    /** A read that stalled would leave frames without their results, or the video short: a failure. */
    private static void requireEnd(boolean reachedEnd) {
        if (!reachedEnd) {
            throw new IllegalStateException("nothing arrived from the topics for " + STALL_TIMEOUT.toSeconds()
                    + " s before their end: is the cluster up?");
        }
    }

    private static Set<String> topics(String bootstrapServers) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the topics at " + bootstrapServers + " within "
                    + ADMIN_TIMEOUT.toSeconds() + " s: is the cluster up, and --bootstrap-servers right?", e);
        }
    }

    /** The second read: the camera's frames in range, joined, painted and written as they come. */
    private static final class FramePass implements ResultReader.Handler {
        private final Request request;
        private final CameraResults results;
        private final CameraConfig zones;
        private final ImageDecoder decoder;
        private final OverlayPainter painter;
        private final Set<String> otherCameras = new TreeSet<>();
        private AnnotatedOutput output;
        private Collection<ModelInfo> models;
        private List<String> untrained = List.of();
        private int cameraFrames;
        private Instant first;
        private Instant last;
        private int width;
        private int height;
        private int withoutResult;
        private int deadLettered;

        FramePass(Request request, CameraResults results, CameraConfig zones, ImageDecoder decoder) {
            this.request = request;
            this.results = results;
            this.zones = zones;
            this.decoder = decoder;
            this.painter = new OverlayPainter(request.maskOpacity());
            this.models = results.models().values();
        }

        @Override
        public void frame(int partition, long offset, VideoFrame frame) {
            if (!request.camera().equals(frame.getCameraId())) {
                if (otherCameras.size() < CAMERAS_NAMED) otherCameras.add(frame.getCameraId());
                return;
            }
            cameraFrames++;
            Instant capture = frame.getCaptureTimestamp();
            if (first == null || capture.isBefore(first)) first = capture;
            if (last == null || capture.isAfter(last)) last = capture;
            if (capture.isBefore(request.from()) || capture.isAfter(request.to())) return;
            FrameResults found = results.of(frame, partition, offset);
            if (!found.models().isEmpty()) models = found.models();
            if (!found.answered()) withoutResult++;
            if (!found.deadLetters.isEmpty()) deadLettered++;
            try (Mat canvas = canvas(frame)) {
                if (canvas == null) return;
                width = canvas.cols();
                height = canvas.rows();
                painter.paint(canvas, found, zones, notices(found), request.camera() + " #" + frame.getSequence()
                        + " " + capture);
                output.write(canvas, frame.getSequence());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The frame's image, or a grey canvas of its size when it cannot be decoded; null when it has no size. */
        private Mat canvas(VideoFrame frame) {
            try (DecodedImage image = decoder.decode(bytes(frame.getImage()),
                    ImageFormat.valueOf(frame.getEncoding().name()), frame.getWidth(), frame.getHeight())) {
                if (image instanceof MatImage mat) return mat.mat().clone();
            } catch (InvalidImageException e) {
                // dead-lettered by the application too: drawn blank, with its dead letters' notices
            }
            int w = frame.getWidth() > 0 ? frame.getWidth() : width;
            int h = frame.getHeight() > 0 ? frame.getHeight() : height;
            if (w <= 0 || h <= 0) return null;
            try (Scalar grey = new Scalar(64, 64, 64, 0)) {
                return new Mat(h, w, CV_8UC3, grey);
            }
        }

        /** The band's lines: untrained models (this frame's, else the last frame's), then what is missing. */
        private List<String> notices(FrameResults found) {
            List<String> notices = new ArrayList<>();
            untrained = models.stream().filter(m -> !m.getTrained()).map(ModelInfo::getName).toList();
            untrained.forEach(name -> notices.add("UNTRAINED: " + name));
            if (!found.answered()) notices.add("no result yet");
            for (DeadLetter letter : found.deadLetters) {
                notices.add("dead letter: " + letter.getStage() + " " + letter.getReason());
            }
            return notices;
        }

        /** An unknown camera or an empty range is the user's to fix. */
        void requireFrames(String framesTopic) {
            if (cameraFrames == 0) {
                String since = request.from().isAfter(Instant.EPOCH) ? " stamped from " + request.from() + " on" : "";
                throw new UsageException("camera '" + request.camera() + "' has no frames on topic '" + framesTopic
                        + "'" + since + (otherCameras.isEmpty() ? " (none of any camera)"
                        : "; cameras there: " + String.join(", ", otherCameras)
                        + (otherCameras.size() == CAMERAS_NAMED ? ", ..." : "")));
            }
            if (output.frames() == 0) {
                throw new UsageException("camera '" + request.camera() + "' has no frames captured from "
                        + request.from() + " to " + request.to() + "; its " + cameraFrames + " frames run from "
                        + first + " to " + last);
            }
        }

        private static byte[] bytes(ByteBuffer buffer) {
            byte[] out = new byte[buffer.remaining()];
            buffer.duplicate().get(out);
            return out;
        }
    }
}
