package io.emostream.cli.annotate;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

/** One JPEG per annotated frame, named by its sequence number ({@code frame-00000042.jpg}), in a directory. */
final class JpegFramesOutput implements AnnotatedOutput {
    private static final int QUALITY = 95;

    private final Path dir;
    private int frames;

    JpegFramesOutput(Path dir) {
        this.dir = dir;
    }

    /** The file a frame of this sequence number goes to. */
    static String fileName(long sequence) {
        return String.format("frame-%08d.jpg", sequence);
    }

    @Override
    public void write(Mat frame, long sequence) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(fileName(sequence));
        try (IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, QUALITY)) {
            if (!imwrite(file.toString(), frame, params)) throw new IOException("could not write " + file);
        }
        frames++;
    }

    @Override
    public int frames() {
        return frames;
    }

    @Override
    public void close() { }

    @Override
    public String toString() {
        return dir + " (JPEG frames)";
    }
}
