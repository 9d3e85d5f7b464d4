package io.emostream.cli.annotate;

import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;

/** Where annotated frames go, as {@link OutputTarget} names it. */
interface AnnotatedOutput extends AutoCloseable {
    /** Adds a frame, painted; the first one fixes a video's size (later ones are scaled to it). */
    void write(Mat frame, long sequence) throws IOException;

    /** The frames written so far. */
    int frames();

    @Override
    void close() throws IOException;
}
