package io.emostream.ingest;

import io.emostream.schemas.ImageEncoding;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real FFmpeg path without Kafka: write a video with JavaCV's recorder, decode, sample, resize and encode it. */
class SyntheticVideoDecodingTest {
    @TempDir
    Path dir;

    private static CameraConfig camera(String source, double fps, int maxSide) {
        return CameraConfig.fromSettings(Map.of("id", "cam", "source", source, "fps", fps, "maxSide", maxSide));
    }

    @Test
    void thirtyFpsFileAtFiveFpsYieldsFiveFramesPerSecondOfVideoResizedAndInOrder() throws Exception {
        Path video = dir.resolve("clip.mp4");
        int written = SyntheticVideo.write(video, 640, 360, 30, 3);
        assertEquals(90, written);
        CameraConfig camera = camera(video.toString(), 5, 320);
        FrameSampler sampler = new FrameSampler(camera.fps());
        CaptureClock clock = new CaptureClock(false, 1_000_000_000_000L);
        FrameEncoder encoder = new FrameEncoder(camera.maxSide(), ImageEncoding.JPEG, 85);
        List<Long> captures = new ArrayList<>();
        int decoded = 0;
        try (FrameSource source = FrameSource.open(camera);
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            assertEquals(640, source.width());
            assertEquals(360, source.height());
            for (Frame frame = source.grab(); frame != null; frame = source.grab()) {
                decoded++;
                long capture = clock.captureMicros(source.timestampMicros(), 0);
                if (!sampler.accept(capture)) continue;
                captures.add(capture);
                EncodedImage jpeg = encoder.encode(converter.convert(frame));
                try (Mat bytes = new Mat(new BytePointer(jpeg.bytes())); Mat image = imdecode(bytes, IMREAD_COLOR)) {
                    assertEquals(320, image.cols());
                    assertEquals(180, image.rows());
                }
            }
        }
        assertEquals(90, decoded);
        assertTrue(Math.abs(captures.size() - 15) <= 1, captures.size() + " frames sampled from 3 s at 5 fps");
        assertEquals(1_000_000_000_000L, captures.get(0), "first frame at the start time");
        for (int i = 1; i < captures.size(); i++) {
            long gap = captures.get(i) - captures.get(i - 1);
            assertTrue(Math.abs(gap - 200_000) <= 34_000, "gap " + gap + " us between sampled frames");
        }
    }

    @Test
    void missingFileAndGarbageFileGiveOneLineThatSaysWhatToCheck() throws Exception {
        SourceException missing = assertThrows(SourceException.class,
                () -> FrameSource.open(camera(dir.resolve("nope.mp4").toString(), 5, 640)));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        Path garbage = Files.write(dir.resolve("garbage.mp4"), new byte[4096]);
        SourceException unreadable = assertThrows(SourceException.class,
                () -> FrameSource.open(camera(garbage.toString(), 5, 640)));
        assertTrue(unreadable.getMessage().contains("cannot open " + garbage + ": Invalid data found")
                && !unreadable.getMessage().contains("\n"), unreadable.getMessage());
    }

    @Test
    void unansweredRtspOpenEndsWithinTheTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            CameraConfig camera = CameraConfig.fromSettings(Map.of("id", "cam",
                    "source", "rtsp://127.0.0.1:" + silent.getLocalPort() + "/stream", "timeoutSeconds", 2));
            long start = System.nanoTime();
            SourceException e = assertThrows(SourceException.class, () -> FrameSource.open(camera));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.toSeconds() < 15, "took " + took);
            assertTrue(e.getMessage().contains("check the URL"), e.getMessage());
        }
    }

    @Test
    void credentialsInTheSourceNeverAppearInMessages() {
        SourceException e = assertThrows(SourceException.class, () -> FrameSource.open(CameraConfig.fromSettings(
                Map.of("id", "cam", "source", "rtsp://admin:secret@127.0.0.1:1/stream", "timeoutSeconds", 2))));
        assertTrue(e.getMessage().contains("rtsp://127.0.0.1:1/stream") && !e.getMessage().contains("secret"), e.getMessage());
    }
}
