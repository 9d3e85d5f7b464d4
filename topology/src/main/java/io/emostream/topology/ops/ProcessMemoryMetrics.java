package io.emostream.topology.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.bytedeco.javacpp.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Memory the JVM's own meters do not see: ONNX Runtime and JavaCV (FFmpeg, OpenCV) allocate outside the heap and
 * outside direct buffers, so only the process's resident set shows all of it. Gauges:
 * {@code process_resident_memory_bytes} and {@code process_virtual_memory_bytes} (from {@code /proc/self/status};
 * left out where there is none, as on macOS) and {@code emostream_javacpp_allocated_bytes} (what JavaCPP allocated
 * and still tracks: OpenCV images and FFmpeg frames).
 */
public final class ProcessMemoryMetrics implements MeterBinder {
    private static final Path STATUS = Path.of("/proc/self/status");

    @Override
    public void bindTo(MeterRegistry registry) {
        if (Files.isReadable(STATUS)) {
            Gauge.builder("process.resident.memory", () -> statusBytes("VmRSS:")).baseUnit("bytes")
                    .description("Resident set size of the process: heap, direct buffers and native allocations")
                    .register(registry);
            Gauge.builder("process.virtual.memory", () -> statusBytes("VmSize:")).baseUnit("bytes")
                    .description("Virtual memory size of the process").register(registry);
        }
        Gauge.builder("emostream.javacpp.allocated", Pointer::totalBytes).baseUnit("bytes")
                .description("Native memory JavaCPP allocated and still tracks (OpenCV images, FFmpeg frames)")
                .register(registry);
    }

    /** A "Name:   123 kB" line of /proc/self/status in bytes; NaN when it cannot be read. */
    static double statusBytes(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    long value = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].toLowerCase(Locale.ROOT).equals("kb") ? value * 1024.0 : value;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN; // a gauge that cannot be read shows as NaN rather than failing the scrape
        }
        return Double.NaN;
    }
}
