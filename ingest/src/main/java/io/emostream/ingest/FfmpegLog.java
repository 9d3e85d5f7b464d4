package io.emostream.ingest;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg prints its own lines on stderr; ingest failures reach the user as one line through exceptions instead.
 * EMOSTREAM_DEBUG=1 keeps FFmpeg's messages.
 */
public final class FfmpegLog {
    static {
        avutil.av_log_set_level("1".equals(System.getenv("EMOSTREAM_DEBUG")) ? avutil.AV_LOG_INFO : avutil.AV_LOG_QUIET);
    }

    private FfmpegLog() { }

    /** Applies the log level once (class initialisation). */
    public static void init() { }
}
