package io.emostream.models;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime sits below the task translators: they use it, it never names them (no package cycle). */
class PackageDependencyTest {
    private static final Path RUNTIME_SOURCES = Path.of("src/main/java/io/emostream/models/runtime");
    private static final List<String> TASK_PACKAGES = List.of(
            "io.emostream.models.detection", "io.emostream.models.segmentation", "io.emostream.models.Predictors");

    @Test
    void theRuntimeNamesNoTaskPackage() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(RUNTIME_SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() > 10, "the runtime's sources are read from " + RUNTIME_SOURCES.toAbsolutePath());
        List<String> references = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (TASK_PACKAGES.stream().anyMatch(line::contains)) {
                    references.add(source.getFileName() + ":" + (i + 1) + ": " + line.trim());
                }
            }
        }
        assertEquals(List.of(), references, "the runtime must not depend on a task; move this code above it");
    }
}
