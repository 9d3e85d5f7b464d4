package io.emostream.bench;

import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PipelineInstance} started as a child process with this JVM's class path and heap limit, the run's
 * settings and a state directory of its own; its output goes to a log file beside its settings.
 */
final class ChildInstance implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildInstance(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildInstance start(Map<String, Object> settings, Path dir) throws IOException {
        Files.createDirectories(dir);
        Properties props = new Properties();
        settings.forEach((key, value) -> props.setProperty(key, String.valueOf(value)));
        props.setProperty(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        Path file = dir.resolve("settings.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, "a benchmark instance");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the heap limit and the native-library settings; never an agent or a debugger of the parent's
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-Xmx") || arg.startsWith("-Djavacpp.")
                        || arg.startsWith("-Donnxruntime."))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PipelineInstance.class.getName(),
                file.toString()));
        Path log = dir.resolve("instance.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildInstance(process, log);
    }

    /** @throws IllegalStateException with the end of its log when the process has exited */
    void checkAlive() {
        if (!process.isAlive()) {
            String tail;
            try {
                List<String> lines = Files.readAllLines(log);
                tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            } catch (IOException e) {
                tail = "(no log: " + e.getMessage() + ")";
            }
            throw new IllegalStateException("a benchmark instance in a child process exited with code "
                    + process.exitValue() + ": " + tail);
        }
    }

    /** CPU time of the process so far, or -1 where the OS does not say. */
    double cpuMs() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(-1.0);
    }

    /** Kills the process as {@code kill -9} would: no shutdown, its open transaction left to the broker. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Closes its input, which closes its application; kills it when that takes over a minute. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // it has exited already
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
