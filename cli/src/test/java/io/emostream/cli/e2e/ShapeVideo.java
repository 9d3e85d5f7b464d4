package io.emostream.cli.e2e;

import io.emostream.ingest.EncodedImage;
import io.emostream.ingest.FrameEncoder;
import io.emostream.ingest.SyntheticVideo;
import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link SyntheticVideo}'s moving shapes as serialized VideoFrames whose truth is known: the video is written and
 * decoded with FFmpeg once, and each image JPEG-encoded as the ingest encodes it. Frame {@code i} of a camera is
 * captured at {@code start + i * FRAME_INTERVAL}, so tests choose recent capture times and exact windows.
 */
final class ShapeVideo {
    static final int WIDTH = 320;
    static final int HEIGHT = 240;
    static final int FPS = 10;
    static final Duration FRAME_INTERVAL = Duration.ofMillis(1000 / FPS);

    private final List<EncodedImage> images;

    private ShapeVideo(List<EncodedImage> images) {
        this.images = images;
    }

    /** Writes {@code seconds} of the video into {@code dir} and decodes it. */
    static ShapeVideo write(Path dir, double seconds) throws IOException {
        Path file = dir.resolve("shapes.mp4");
        int frames = SyntheticVideo.write(file, WIDTH, HEIGHT, FPS, seconds);
        FrameEncoder encoder = new FrameEncoder(WIDTH, ImageEncoding.JPEG, 95);
        List<EncodedImage> images = new ArrayList<>(frames);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.start();
            for (int i = 0; i < frames; i++) {
                try (Frame frame = grabber.grabImage()) {
                    if (frame == null) throw new IOException(file + " ended after " + i + " of " + frames + " frames");
                    images.add(encoder.encode(converter.convert(frame)));
                }
            }
        }
        return new ShapeVideo(List.copyOf(images));
    }

    int frames() {
        return images.size();
    }

    /**
     * Frame {@code index} of {@code camera}, serialized, captured {@code index} frame intervals after start; past
     * the video's end its images start again.
     */
    byte[] frame(String camera, int index, Instant start) {
        VideoFrame frame = images.get(index % images.size()).frame(camera, index, captureTime(start, index), Map.of());
        return AvroSerdes.videoFrame().serialize(null, frame);
    }

    static Instant captureTime(Instant start, int index) {
        return start.plus(FRAME_INTERVAL.multipliedBy(index));
    }

    /** SyntheticVideo's drawing rule: the disc's centre runs from 15% to 85% of the width over the video. */
    double discCentreX(int index) {
        return 0.15 + 0.7 * index / (frames() - 1);
    }

    /** The first frame whose disc centre lies right of {@code x} (a fraction of the width). */
    int firstFrameWithDiscRightOf(double x) {
        for (int i = 0; i < frames(); i++) {
            if (discCentreX(i) > x) return i;
        }
        throw new IllegalArgumentException("the disc never passes x = " + x);
    }
}
