package io.emostream.models.runtime;

import ai.onnxruntime.OrtEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Keeps ONNX Runtime's native libraries out of the temporary directory. By itself ONNX Runtime unpacks them (the
 * CUDA provider alone is about 580 MB) into a new {@code onnxruntime-java*} folder per JVM that only a clean exit
 * removes, and its telemetry library leaves an empty {@code mat-debug-<pid>.log} even then; after {@code kill -9}
 * restarts in a pod, the temporary directory grows with each. Instead the libraries are unpacked once into
 * {@code <cache>/onnxruntime-<hash of the jar's libraries>/} and loaded from there ({@code onnxruntime.native.path});
 * what ONNX Runtime still creates at start is removed as soon as it has loaded.
 * <p>The cache is {@value #CACHE_ENV} when set, else {@code ~/.cache/emostream/native}. A user who sets
 * {@code onnxruntime.native.path} keeps full control: nothing is unpacked then.
 */
public final class NativeLibraries {
    public static final String CACHE_ENV = "EMOSTREAM_NATIVE_CACHE";
    static final String ORT_NATIVE_PATH = "onnxruntime.native.path";
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibraries.class);
    /** Whether ONNX Runtime loads from our cache, providers included, so that its own folder is not needed. */
    private static volatile boolean fromCache;

    private NativeLibraries() { }

    /** The cache root: {@value #CACHE_ENV}, else {@code ~/.cache/emostream/native}. */
    static Path cacheRoot() {
        String set = System.getenv(CACHE_ENV);
        return set != null && !set.isBlank() ? Path.of(set)
                : Path.of(System.getProperty("user.home"), ".cache", "emostream", "native");
    }

    /** Points ONNX Runtime at the cached libraries, unpacking them first if this jar's are not cached yet. */
    static void beforeLoading() {
        if (System.getProperty(ORT_NATIVE_PATH) != null) {
            return;
        }
        try {
            unpack(cacheRoot()).ifPresent(dir -> {
                System.setProperty(ORT_NATIVE_PATH, dir.toString());
                fromCache = true;
            });
        } catch (IOException | UncheckedIOException e) {
            // not fatal: ONNX Runtime then unpacks into the temporary directory as it always did
            LOG.warn("cannot cache ONNX Runtime's native libraries under {} ({}); set {} to a writable directory",
                    cacheRoot(), e.getMessage(), CACHE_ENV);
        }
    }

    /** Removes what ONNX Runtime created in the temporary directories while it loaded, now that it has. */
    static void afterLoading() {
        if (fromCache) {
            deleteIfEmpty(ortTemporaryDirectory());
        }
        String tmp = System.getenv().getOrDefault("TMPDIR", "/tmp");
        deleteIfEmpty(Path.of(tmp, "mat-debug-" + ProcessHandle.current().pid() + ".log"));
    }

    /**
     * Unpacks the native libraries of ONNX Runtime's jar for this platform into a folder of {@code root} named by
     * their checksums, once: a folder that exists is complete, since it appears by an atomic rename.
     *
     * @return the folder, or empty when the libraries do not come from a jar (then ONNX Runtime finds its own)
     */
    static Optional<Path> unpack(Path root) throws IOException {
        String prefix = "ai/onnxruntime/native/" + platform() + "/";
        URL library = OrtEnvironment.class.getClassLoader()
                .getResource(prefix + System.mapLibraryName("onnxruntime"));
        if (library == null || !"jar".equals(library.getProtocol())) {
            return Optional.empty();
        }
        JarURLConnection connection = (JarURLConnection) library.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            List<JarEntry> entries = Collections.list(jar.entries()).stream()
                    .filter(e -> !e.isDirectory() && e.getName().startsWith(prefix))
                    .sorted(Comparator.comparing(JarEntry::getName)).toList();
            CRC32 key = new CRC32();
            entries.forEach(e -> key.update((e.getName() + e.getCrc() + e.getSize()).getBytes()));
            Path dir = root.resolve(String.format(Locale.ROOT, "onnxruntime-%08x", key.getValue()));
            if (Files.isDirectory(dir)) {
                return Optional.of(dir);
            }
            Files.createDirectories(root);
            Path partial = Files.createTempDirectory(root, dir.getFileName() + ".partial-");
            try {
                for (JarEntry entry : entries) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, partial.resolve(entry.getName().substring(prefix.length())));
                    }
                }
                Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("unpacked ONNX Runtime's native libraries into {}", dir);
            } catch (IOException e) {
                // another JVM may have unpacked the same libraries at the same time: then use its folder
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            } finally {
                deleteTree(partial);
            }
            return Optional.of(dir);
        }
    }

    /** ONNX Runtime's name for this platform's resource folder, e.g. {@code linux-x64}. */
    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osPart = os.contains("win") ? "win" : os.contains("mac") ? "osx" : "linux";
        String archPart = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        return osPart + "-" + archPart;
    }

    /** The folder ONNX Runtime made for this JVM; it keeps it in a private field, read here by name. */
    private static Path ortTemporaryDirectory() {
        try {
            Field field = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
            field.setAccessible(true);
            return (Path) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot find ONNX Runtime's temporary folder ({}); it stays until the JVM exits", e.toString());
            return null;
        }
    }

    private static void deleteIfEmpty(Path path) {
        if (path == null) {
            return;
        }
        try {
            if (Files.isDirectory(path)) {
                try (Stream<Path> children = Files.list(path)) {
                    if (children.findAny().isPresent()) {
                        return;
                    }
                }
            } else if (!Files.isRegularFile(path) || Files.size(path) > 0) {
                return;
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", path, e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
