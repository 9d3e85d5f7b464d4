package io.emostream.cli.e2e;

import io.emostream.ingest.SyntheticVideo;
import io.emostream.models.detection.Detection;
import io.emostream.models.image.MatImage;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeFixtureDetectorTest {
    @Test
    void findsTheSyntheticVideosDiscMovingRightAndTheBox(@TempDir Path dir) throws Exception {
        Path video = dir.resolve("shapes.mp4");
        int frames = SyntheticVideo.write(video, 320, 240, 10, 2);
        ShapeFixtureDetector detector = new ShapeFixtureDetector();
        float lastDiscX = -1;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.start();
            for (int i = 0; i < frames; i++) {
                try (Frame frame = grabber.grabImage();
                     MatImage image = new MatImage(converter.convert(frame).clone())) {
                    List<Detection> found = detector.predict(image).detections();
                    assertEquals(List.of("person", "car"), found.stream().map(Detection::label).toList(),
                            "frame " + i);
                    Detection disc = found.get(0);
                    float centreX = (disc.x1() + disc.x2()) / 2;
                    // SyntheticVideo: the disc's centre runs from 15% to 85% of the width, on a third of the height
                    float expectedX = 320 * (0.15f + 0.7f * i / (frames - 1));
                    assertEquals(expectedX, centreX, 4, "disc centre x at frame " + i);
                    assertEquals(80, (disc.y1() + disc.y2()) / 2, 4, "disc centre y at frame " + i);
                    assertTrue(centreX > lastDiscX, "the disc moves right");
                    lastDiscX = centreX;
                }
            }
        }
        assertTrue(detector.card().untrained(), "a fixture is labelled untrained");
    }
}
