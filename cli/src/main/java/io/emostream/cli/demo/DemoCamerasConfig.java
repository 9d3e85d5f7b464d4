package io.emostream.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The zones and lines the demo gives its cameras unless {@code --cameras-config} names a file: a vertical line
 * {@value #GATE} at x = 0.5, which the synthetic video's red disc crosses from left to right (counted IN), and a zone
 * {@value #LOWER_HALF}, in which its green box moves up and down.
 */
public final class DemoCamerasConfig {
    public static final String GATE = "gate";
    public static final String LOWER_HALF = "lower-half";

    /** One camera's entry; the gate is drawn upwards, so that its left side is the frame's left. */
    private static final String CAMERA = """
              %s:
                zones:
                  - id: %s
                    points: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]]
                lines:
                  - {id: %s, a: [0.5, 1], b: [0.5, 0]}
            """;

    private DemoCamerasConfig() { }

    /** Writes the cameras config file (the format of {@code cameras.config.file}) for these cameras. */
    public static Path write(Path file, List<String> cameraIds) throws IOException {
        StringBuilder yaml = new StringBuilder("cameras:\n");
        for (String camera : cameraIds) yaml.append(String.format(CAMERA, camera, LOWER_HALF, GATE));
        return Files.writeString(file, yaml);
    }
}
