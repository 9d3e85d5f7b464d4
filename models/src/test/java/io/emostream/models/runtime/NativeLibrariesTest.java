package io.emostream.models.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeLibrariesTest {
    @TempDir
    Path dir;

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theLibrariesAreUnpackedOnceIntoOneFolderNamedByTheirChecksums() throws Exception {
        Path cache = dir.resolve("cache");
        Path first = NativeLibraries.unpack(cache).orElseThrow();
        Path library = first.resolve(System.mapLibraryName("onnxruntime"));
        assertTrue(Files.size(library) > 1_000_000, "the runtime library itself");
        FileTime written = Files.getLastModifiedTime(library);

        assertEquals(first, NativeLibraries.unpack(cache).orElseThrow());
        assertEquals(written, Files.getLastModifiedTime(library), "not unpacked again");
        assertEquals(List.of(first.getFileName().toString()), names(cache), "no partial folders left");
    }

    @Test
    void jvmsKilledAfterLoadingOnnxRuntimeLeaveNothingInTheTemporaryDirectory() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path cache = dir.resolve("cache");
        for (int start = 0; start < 2; start++) {
            ProcessBuilder jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                    LoadOnnxRuntime.class.getName()).redirectErrorStream(true);
            jvm.environment().put("TMPDIR", tmp.toString());
            jvm.environment().put(NativeLibraries.CACHE_ENV, cache.toString());
            Process process = jvm.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), output);
            assertTrue(output.contains("loaded ONNX Runtime"), output);

            List<String> left = names(tmp).stream()
                    .filter(n -> n.startsWith("onnxruntime-java") || n.startsWith("mat-debug-")).toList();
            assertEquals(List.of(), left, "start " + (start + 1) + " left these in the temporary directory");
            assertEquals(1, names(cache).size(), "one cached copy of the libraries: " + names(cache));
        }
    }
}
