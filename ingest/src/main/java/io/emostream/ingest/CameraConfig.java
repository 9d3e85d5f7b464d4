package io.emostream.ingest;

import io.emostream.schemas.ImageEncoding;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One camera: its id (the Kafka key), its source and how its frames are sampled, sized and encoded.
 *
 * @param fps                  target frames per second; 0 keeps every decoded frame
 * @param maxFrames            the camera ends after publishing this many frames (after sampling); 0 for no bound
 * @param maxSide              the longer side of a published frame is at most this many pixels
 * @param realtime             files only: pace reading at the native frame rate, like a camera
 * @param maxReconnectAttempts live sources: reconnect attempts in a row before giving up; -1 for unlimited
 * @param timeout              how long opening or reading the source may block
 * @param options              extra FFmpeg options (e.g. rtsp_transport=udp)
 * @param metadata             copied into every VideoFrame's metadata
 */
public record CameraConfig(String id, String source, double fps, long maxFrames, int maxSide, ImageEncoding encoding,
                           int jpegQuality, boolean realtime, int maxReconnectAttempts, Duration timeout,
                           Map<String, String> options, Map<String, String> metadata) {

    public static final double DEFAULT_FPS = 0;
    public static final int DEFAULT_MAX_SIDE = 1280;
    public static final int DEFAULT_JPEG_QUALITY = 85;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public CameraConfig {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IngestConfigException("camera id '" + id + "' is invalid: use 1-128 letters, digits, '.', '_', ':' or '-'");
        }
        if (source == null || source.isBlank()) throw new IngestConfigException("camera " + id + ": source is missing");
        if (!(fps >= 0) || fps > 1000) throw new IngestConfigException("camera " + id + ": fps must be 0 (every frame) to 1000, got " + fps);
        if (maxFrames < 0) throw new IngestConfigException("camera " + id + ": maxFrames must be 0 (no bound) or more, got " + maxFrames);
        if (maxSide < 16 || maxSide > 8192) throw new IngestConfigException("camera " + id + ": maxSide must be 16 to 8192, got " + maxSide);
        if (encoding == null) throw new IngestConfigException("camera " + id + ": encoding is missing");
        if (jpegQuality < 1 || jpegQuality > 100) throw new IngestConfigException("camera " + id + ": jpegQuality must be 1 to 100, got " + jpegQuality);
        if (maxReconnectAttempts < -1) throw new IngestConfigException("camera " + id + ": maxReconnectAttempts must be -1 (unlimited) or more");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IngestConfigException("camera " + id + ": timeout must be positive");
        options = Map.copyOf(options == null ? Map.of() : options);
        metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
    }

    public SourceKind kind() {
        return SourceKind.of(source);
    }

    /**
     * Builds a camera from string-keyed settings (flags, a YAML or properties file): id, source, fps, maxFrames,
     * maxSide, encoding, jpegQuality, realtime, maxReconnectAttempts, timeoutSeconds, options (map), metadata (map).
     */
    public static CameraConfig fromSettings(Map<String, ?> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) throw new IngestConfigException("unknown camera setting '" + key + "'; known: " + KEYS);
        }
        String id = string(settings, "id", null);
        return new CameraConfig(id, string(settings, "source", null),
                number(id, settings, "fps", DEFAULT_FPS),
                wholeNumber(id, settings, "maxFrames", 0),
                (int) number(id, settings, "maxSide", DEFAULT_MAX_SIDE),
                encoding(id, string(settings, "encoding", "JPEG")),
                (int) number(id, settings, "jpegQuality", DEFAULT_JPEG_QUALITY),
                Boolean.parseBoolean(string(settings, "realtime", "false")),
                (int) number(id, settings, "maxReconnectAttempts", -1),
                Duration.ofMillis((long) (1000 * number(id, settings, "timeoutSeconds", DEFAULT_TIMEOUT.toSeconds()))),
                stringMap(id, settings.get("options")), stringMap(id, settings.get("metadata")));
    }

    private static final java.util.List<String> KEYS = java.util.List.of("id", "source", "fps", "maxFrames", "maxSide",
            "encoding", "jpegQuality", "realtime", "maxReconnectAttempts", "timeoutSeconds", "options", "metadata");

    private static String string(Map<String, ?> s, String key, String fallback) {
        Object v = s.get(key);
        return v == null ? fallback : v.toString().trim();
    }

    private static double number(String id, Map<String, ?> s, String key, double fallback) {
        Object v = s.get(key);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IngestConfigException("camera " + id + ": " + key + " must be a number, got '" + v + "'");
        }
    }

    private static long wholeNumber(String id, Map<String, ?> s, String key, long fallback) {
        double value = number(id, s, key, fallback);
        if (value != Math.rint(value) || Math.abs(value) > 1e15) {
            throw new IngestConfigException("camera " + id + ": " + key + " must be a whole number, got '" + s.get(key) + "'");
        }
        return (long) value;
    }

    private static ImageEncoding encoding(String id, String value) {
        try {
            return ImageEncoding.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IngestConfigException("camera " + id + ": encoding must be JPEG, PNG or RAW_BGR24, got '" + value + "'");
        }
    }

    private static Map<String, String> stringMap(String id, Object value) {
        if (value == null) return Map.of();
        if (!(value instanceof Map<?, ?> map)) throw new IngestConfigException("camera " + id + ": options and metadata must be maps");
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }
}
