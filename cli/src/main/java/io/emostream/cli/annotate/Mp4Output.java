package io.emostream.cli.annotate;

import io.emostream.ingest.FfmpegLog;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An H.264 MP4 at a constant rate, one video frame per annotated frame, written with JavaCV's FFmpeg recorder
 * (OpenH264, the encoder of JavaCV's LGPL FFmpeg). It starts at the first frame, whose size it takes, rounded down to
 * even numbers as 4:2:0 chroma needs; FFmpeg scales any frame of another size to it.
 */
final class Mp4Output implements AnnotatedOutput {
    /** Bits per pixel per frame: generous for H.264, so thin box edges keep their colour. */
    private static final double BITS_PER_PIXEL = 0.6;

    private final Path file;
    private final double framesPerSecond;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private FFmpegFrameRecorder recorder;
    private int frames;

    Mp4Output(Path file, double framesPerSecond) {
        this.file = file;
        this.framesPerSecond = framesPerSecond;
    }

    @Override
    public void write(Mat frame, long sequence) throws IOException {
        try {
            if (recorder == null) recorder = start(frame.cols(), frame.rows());
            recorder.record(converter.convert(frame));
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        frames++;
    }

    private FFmpegFrameRecorder start(int width, int height) throws FrameRecorder.Exception {
        FfmpegLog.init();
        int evenWidth = Math.max(2, width & ~1);
        int evenHeight = Math.max(2, height & ~1);
        FFmpegFrameRecorder started = new FFmpegFrameRecorder(file.toFile(), evenWidth, evenHeight, 0);
        started.setFormat("mp4");
        started.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        started.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        started.setFrameRate(framesPerSecond);
        started.setVideoBitrate((int) Math.min(Integer.MAX_VALUE,
                BITS_PER_PIXEL * evenWidth * evenHeight * framesPerSecond));
        try {
            started.start();
        } catch (FrameRecorder.Exception e) {
            started.close();
            throw e;
        }
        return started;
    }

    @Override
    public int frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        try (converter) {
            if (recorder != null) recorder.close();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot finish " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
