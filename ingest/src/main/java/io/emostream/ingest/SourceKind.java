package io.emostream.ingest;

import java.util.Locale;

/** Where frames come from; decides FFmpeg options and whether the source is live (reconnects) or a file (ends). */
public enum SourceKind {
    FILE, RTSP, HTTP, DEVICE;

    /** Every source but a file is live: it reconnects rather than ends. */
    public boolean live() {
        return this != FILE;
    }

    public static SourceKind of(String source) {
        String s = source.toLowerCase(Locale.ROOT);
        if (s.startsWith("rtsp://") || s.startsWith("rtsps://")) return RTSP;
        if (s.startsWith("http://") || s.startsWith("https://")) return HTTP;
        if (s.startsWith("/dev/video")) return DEVICE;
        return FILE;
    }
}
