package io.emostream.ingest;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads many cameras from a YAML file ({@code defaults:} and a {@code cameras:} list of maps) or a properties file
 * ({@code default.<key>=...}, {@code camera.<id>.<key>=...}, maps as {@code camera.<id>.options.<name>=...}).
 * Precedence, lowest first: built-in defaults, the given defaults (command-line flags), the file's defaults, the
 * camera's own settings. Keys are those of {@link CameraConfig#fromSettings}.
 */
public final class CamerasFile {
    private CamerasFile() { }

    public static List<CameraConfig> load(Path file, Map<String, ?> defaults) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IngestConfigException("cameras file " + file + " does not exist or is not readable");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        try {
            List<CameraConfig> cameras = name.endsWith(".properties")
                    ? fromProperties(file, defaults) : fromYaml(file, defaults);
            if (cameras.isEmpty()) throw new IngestConfigException("cameras file " + file + " lists no cameras");
            Set<String> ids = new HashSet<>();
            for (CameraConfig c : cameras) {
                if (!ids.add(c.id())) throw new IngestConfigException("cameras file " + file + ": camera id " + c.id() + " appears twice");
            }
            return cameras;
        } catch (IOException e) {
            throw new IngestConfigException("cannot read cameras file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof IngestConfigException ice && ice.getMessage().startsWith("cameras file")) throw ice;
            throw new IngestConfigException("cameras file " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<CameraConfig> fromYaml(Path file, Map<String, ?> defaults) throws IOException {
        Object doc;
        try (Reader in = Files.newBufferedReader(file)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        if (!(doc instanceof Map<?, ?> root) || !(root.get("cameras") instanceof List<?> list)) {
            throw new IngestConfigException("expected a map with a 'cameras' list (and optional 'defaults')");
        }
        Map<String, Object> base = merge(defaults, root.get("defaults"));
        List<CameraConfig> out = new ArrayList<>();
        for (Object entry : list) {
            if (!(entry instanceof Map<?, ?>)) throw new IngestConfigException("each entry of 'cameras' must be a map");
            out.add(CameraConfig.fromSettings(merge(base, entry)));
        }
        return out;
    }

    private static List<CameraConfig> fromProperties(Path file, Map<String, ?> defaults) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        }
        Map<String, Object> fileDefaults = new LinkedHashMap<>();
        Map<String, Map<String, Object>> cameras = new LinkedHashMap<>();
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            String value = props.getProperty(key);
            if (key.startsWith("default.")) {
                put(fileDefaults, key.substring("default.".length()), value);
            } else if (key.startsWith("camera.") && key.indexOf('.', 7) > 7) {
                int dot = key.indexOf('.', 7);
                String id = key.substring(7, dot);
                Map<String, Object> cam = cameras.computeIfAbsent(id, k -> new LinkedHashMap<>(Map.of("id", k)));
                put(cam, key.substring(dot + 1), value);
            } else {
                throw new IngestConfigException("unexpected key '" + key + "': use default.<setting> or camera.<id>.<setting>");
            }
        }
        Map<String, Object> base = merge(defaults, fileDefaults);
        List<CameraConfig> out = new ArrayList<>();
        cameras.values().forEach(cam -> out.add(CameraConfig.fromSettings(merge(base, cam))));
        return out;
    }

    /** Puts {@code a.b=v} as a nested map entry for the map-valued settings (options, metadata). */
    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> target, String key, String value) {
        int dot = key.indexOf('.');
        if (dot < 0) {
            target.put(key, value);
        } else {
            ((Map<String, Object>) target.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>()))
                    .put(key.substring(dot + 1), value);
        }
    }

    private static Map<String, Object> merge(Map<String, ?> base, Object overrides) {
        Map<String, Object> out = new LinkedHashMap<>(base == null ? Map.of() : base);
        if (overrides instanceof Map<?, ?> map) map.forEach((k, v) -> out.put(String.valueOf(k), v));
        else if (overrides != null) throw new IngestConfigException("'defaults' must be a map");
        return out;
    }
}
