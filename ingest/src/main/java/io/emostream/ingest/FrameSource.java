package io.emostream.ingest;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An opened FFmpeg source that yields BGR images. RTSP uses TCP transport unless the camera's options say otherwise;
 * every blocking open or read is bounded by the camera's timeout; {@code /dev/videoN} opens through video4linux2.
 */
public final class FrameSource implements AutoCloseable {
    private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d+)");
    /** How close to its length a stream must have come to count as read to its end (the last frame's duration). */
    private static final long END_TOLERANCE_MICROS = 1_000_000;

    static {
        FfmpegLog.init();
    }

    private final FFmpegFrameGrabber grabber;

    private FrameSource(FFmpegFrameGrabber grabber) {
        this.grabber = grabber;
    }

    /** Opens the camera's source; throws {@link SourceException} with a message that says what to check. */
    public static FrameSource open(CameraConfig camera) {
        SourceKind kind = camera.kind();
        if (kind == SourceKind.FILE && !Files.isReadable(Path.of(camera.source()))) {
            throw new SourceException("camera " + camera.id() + ": cannot read " + camera.source()
                    + ": no such file or not readable; check the path");
        }
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(camera.source());
        String timeoutMicros = String.valueOf(camera.timeout().toMillis() * 1000);
        switch (kind) {
            case RTSP -> {
                grabber.setOption("rtsp_transport", "tcp");
                grabber.setOption("timeout", timeoutMicros);
            }
            case HTTP -> grabber.setOption("rw_timeout", timeoutMicros);
            case DEVICE -> grabber.setFormat("video4linux2");
            case FILE -> { }
        }
        camera.options().forEach(grabber::setOption);
        // JavaCV's interrupt callback: no FFmpeg call blocks longer than this.
        grabber.setTimeout((int) Math.min(Integer.MAX_VALUE, camera.timeout().toMillis()));
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        try {
            grabber.start();
            if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
                throw new SourceException("camera " + camera.id() + ": " + redact(camera.source())
                        + " has no video stream FFmpeg can decode; check that it is a video and its codec is supported");
            }
            return new FrameSource(grabber);
        } catch (FrameGrabber.Exception e) {
            closeQuietly(grabber);
            throw new SourceException("camera " + camera.id() + ": cannot open " + redact(camera.source()) + ": "
                    + describe(e) + "; " + hint(kind), e);
        } catch (RuntimeException e) {
            closeQuietly(grabber);
            throw e;
        }
    }

    /** The next decoded image, or null at the end of the stream. The frame belongs to the source: do not close it. */
    public Frame grab() {
        try {
            return grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            throw new SourceException("read failed: " + describe(e), e);
        }
    }

    /** Timestamp of the last grabbed frame, microseconds in the stream's clock. */
    public long timestampMicros() {
        return grabber.getTimestamp();
    }

    /** Frames in the file, an estimate from its duration and rate; 0 when unknown (live sources). */
    public long lengthInFrames() {
        return Math.max(0, grabber.getLengthInVideoFrames());
    }

    /**
     * Whether the last frame read was at the source's known end: a file, also when served over HTTP. A live stream
     * has no known length, so it never is.
     */
    public boolean reachedItsEnd() {
        long length = grabber.getLengthInTime();
        return length > 0 && grabber.getTimestamp() >= length - END_TOLERANCE_MICROS;
    }

    public int width() {
        return grabber.getImageWidth();
    }

    public int height() {
        return grabber.getImageHeight();
    }

    @Override
    public void close() {
        closeQuietly(grabber);
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // closing a source that failed: nothing more to do
        }
    }

    /** FFmpeg's own words for the error code in JavaCV's message ("avformat_open_input() error -111: ..."). */
    static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Matcher m = ERROR_CODE.matcher(message);
        if (m.find()) {
            byte[] text = new byte[256];
            try (BytePointer buf = new BytePointer(text.length)) {
                if (avutil.av_strerror(Integer.parseInt(m.group(1)), buf, text.length) == 0) {
                    buf.get(text);
                    int end = 0;
                    while (end < text.length && text[end] != 0) end++;
                    return new String(text, 0, end, java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        return message.lines().findFirst().orElse(message);
    }

    /** A source URI without its user:password part, for messages, logs and metadata. */
    public static String redact(String source) {
        return source.replaceFirst("//[^/@]*@", "//");
    }

    private static String hint(SourceKind kind) {
        return switch (kind) {
            case FILE -> "check that the file is a video whose container and codec FFmpeg supports";
            case RTSP, HTTP -> "check the URL, the credentials and that the server is up and reachable";
            case DEVICE -> "check that the device exists, is a capture device and is not in use";
        };
    }
}
