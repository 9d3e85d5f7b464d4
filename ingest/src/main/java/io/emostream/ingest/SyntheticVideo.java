package io.emostream.ingest;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.io.IOException;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

/**
 * Writes a test video: moving coloured shapes on a dark background with the frame number drawn in, MPEG-4 Part 2
 * video (an encoder every FFmpeg build has) in the container the file name's extension selects (.mp4, .mkv, .avi, .ts).
 */
public final class SyntheticVideo {
    static {
        FfmpegLog.init();
    }

    private SyntheticVideo() { }

    /** @return the number of frames written */
    public static int write(Path file, int width, int height, double fps, double seconds) throws IOException {
        if (width < 16 || height < 16 || width > 4096 || height > 4096 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("width and height must be even, 16 to 4096; got " + width + "x" + height);
        }
        if (!(fps > 0 && fps <= 120) || !(seconds > 0 && seconds <= 3600)) {
            throw new IllegalArgumentException("fps must be in (0, 120] and seconds in (0, 3600]");
        }
        int frames = (int) Math.round(fps * seconds);
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
             Mat image = new Mat(height, width, CV_8UC3)) {
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setGopSize((int) Math.max(1, Math.round(fps)));
            // about 0.1 bit per pixel: small files with clearly readable shapes and digits
            recorder.setVideoBitrate((int) Math.min(Integer.MAX_VALUE, (long) (width * height * fps / 10)));
            recorder.start();
            for (int i = 0; i < frames; i++) {
                draw(image, i, frames);
                recorder.record(converter.convert(image), avutil.AV_PIX_FMT_BGR24);
            }
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return frames;
    }

    private static void draw(Mat image, int index, int frames) {
        int w = image.cols();
        int h = image.rows();
        double t = frames <= 1 ? 0 : (double) index / (frames - 1);
        try (Scalar background = new Scalar(40, 30, 20, 0);
             Scalar red = new Scalar(40, 40, 230, 0);
             Scalar green = new Scalar(60, 200, 60, 0);
             Scalar white = new Scalar(255, 255, 255, 0);
             Point centre = new Point((int) (w * (0.15 + 0.7 * t)), h / 3);
             Point boxA = new Point(w / 2, (int) (h * (0.5 + 0.3 * Math.sin(2 * Math.PI * t))));
             Point boxB = new Point(w / 2 + w / 6, (int) (h * (0.5 + 0.3 * Math.sin(2 * Math.PI * t))) + h / 6);
             Point textAt = new Point(8, h - 10)) {
            image.put(background);
            circle(image, centre, Math.max(4, h / 8), red, FILLED, LINE_AA, 0);
            rectangle(image, boxA, boxB, green, FILLED, LINE_AA, 0);
            putText(image, "frame " + index, textAt, FONT_HERSHEY_SIMPLEX, Math.max(0.4, h / 480.0), white, 2, LINE_AA, false);
        }
    }
}
