package io.emostream.ingest;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one camera, updated by its capture thread, its sender and producer callbacks. */
public final class CameraStats {
    final AtomicLong read = new AtomicLong();
    final AtomicLong sampled = new AtomicLong();
    final AtomicLong sampledOut = new AtomicLong();
    final AtomicLong alreadyPublished = new AtomicLong();
    final AtomicLong encodeNanos = new AtomicLong();
    final AtomicLong published = new AtomicLong();
    final AtomicLong droppedBacklog = new AtomicLong();
    final AtomicLong droppedTooLarge = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    volatile long totalFrames;
    volatile boolean opened;
    volatile String error;
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;

    public long read() { return read.get(); }
    /** Frames read, encoded and queued for sending. */
    public long sampled() { return sampled.get(); }
    /** Frames read and left out to keep to the target frame rate. */
    public long sampledOut() { return sampledOut.get(); }
    /** Frames of a file read again and skipped because an earlier ingest had published them. */
    public long alreadyPublished() { return alreadyPublished.get(); }
    /** Time spent resizing and encoding the sampled frames. */
    public double encodeSeconds() { return encodeNanos.get() / 1e9; }
    public long published() { return published.get(); }
    public long droppedBacklog() { return droppedBacklog.get(); }
    public long droppedTooLarge() { return droppedTooLarge.get(); }
    public long failed() { return failed.get(); }
    public long bytes() { return bytes.get(); }
    public long reconnects() { return reconnects.get(); }
    /** Frames in the file (estimate), 0 for live sources. */
    public long totalFrames() { return totalFrames; }
    /** Whether the source opened at least once. */
    public boolean opened() { return opened; }
    /** Why the camera stopped early, or null. */
    public String error() { return error; }

    void finished() {
        endNanos = System.nanoTime();
    }

    /** Decoded frames per second since start. */
    public double readFps() {
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        return read.get() / Math.max(1e-9, (end - startNanos) / 1e9);
    }

    public String summary() {
        String resumed = alreadyPublished() == 0 ? ""
                : String.format(java.util.Locale.ROOT, " (%d skipped, published before)", alreadyPublished());
        return String.format(java.util.Locale.ROOT,
                "%d frames read%s, %d sampled, %d published (%.1f MB), dropped %d (backlog) + %d (too large), %d failed, "
                        + "%d reconnects, %.1f fps decoded", read(), resumed, sampled(), published(), bytes() / 1e6,
                droppedBacklog(), droppedTooLarge(), failed(), reconnects(), readFps());
    }
}
