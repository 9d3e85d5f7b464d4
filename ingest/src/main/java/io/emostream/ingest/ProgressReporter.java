package io.emostream.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Shows progress: a bar on stderr for file cameras when stderr is a terminal, otherwise a log line per camera every
 * {@link #LOG_INTERVAL_MS} ms.
 */
final class ProgressReporter {
    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);
    static final long LOG_INTERVAL_MS = 10_000;
    private static final long BAR_INTERVAL_MS = 250;
    private static final int BAR_WIDTH = 30;

    private final List<CameraIngest> cameras;
    private final boolean bar;
    private final Thread thread;
    private volatile boolean running = true;

    ProgressReporter(List<CameraIngest> cameras, boolean enabled) {
        this.cameras = cameras;
        this.bar = enabled && System.console() != null
                && cameras.stream().anyMatch(c -> !c.camera().kind().live());
        this.thread = new Thread(this::loop, "ingest-progress");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (bar) {
            drawBar(System.err);
            System.err.println();
        }
    }

    private void loop() {
        try {
            while (running) {
                Thread.sleep(bar ? BAR_INTERVAL_MS : LOG_INTERVAL_MS);
                if (bar) drawBar(System.err);
                else cameras.forEach(c -> log.info("camera {}: {}", c.camera().id(), c.stats().summary()));
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    private void drawBar(PrintStream err) {
        long done = 0;
        long total = 0;
        double fps = 0;
        for (CameraIngest c : cameras) {
            if (c.camera().kind().live()) continue;
            done += c.stats().read();
            total += Math.max(c.stats().totalFrames(), c.stats().read());
            fps += c.stats().readFps();
        }
        int filled = total == 0 ? 0 : (int) (BAR_WIDTH * done / total);
        err.printf(Locale.ROOT, "\r[%s%s] %d/%d frames  %.1f fps ", "=".repeat(filled), " ".repeat(BAR_WIDTH - filled),
                done, total, fps);
        err.flush();
    }
}
