package io.emostream.ingest;

import io.emostream.schemas.VideoFrame;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One camera: a capture thread (decode, sample, pace, resize, encode, reconnect) hands frames to a sender thread
 * through a small queue; the sender publishes them in order, at most {@code maxInFlight} unacknowledged at a time.
 * The camera ends, live or not, once it has taken its {@code maxFrames} or the ingest's bound in all is spent; it
 * reads no frame beyond the last one it may send.
 */
final class CameraIngest {
    private static final Logger log = LoggerFactory.getLogger(CameraIngest.class);
    private static final int QUEUE_CAPACITY = 4;

    private final CameraConfig camera;
    private final FramePublisher publisher;
    private final Semaphore inFlight;
    private final FrameQueue<VideoFrame> queue;
    private final Backoff backoff;
    private final FrameBudget cameraBudget;
    private final FrameBudget totalBudget;
    private final long startEpochMicros;
    private final CameraStats stats = new CameraStats();
    private final Thread captureThread;
    private final Thread senderThread;
    private volatile boolean stopping;
    private final ResumePoint resume;
    /** Per-camera frame numbers, continuing across reconnections and restarts; capture thread only. */
    private long nextSequence;

    CameraIngest(CameraConfig camera, FramePublisher publisher, int maxInFlight, Backoff backoff, Instant start,
                 FrameBudget totalBudget, ResumePoint resume) {
        this.camera = camera;
        this.resume = resume;
        this.nextSequence = resume.nextSequence();
        this.publisher = publisher;
        this.inFlight = new Semaphore(maxInFlight);
        this.queue = new FrameQueue<>(QUEUE_CAPACITY, camera.kind().live() || camera.realtime());
        this.backoff = backoff;
        this.cameraBudget = new FrameBudget(camera.maxFrames());
        this.totalBudget = totalBudget;
        this.startEpochMicros = TimeUnit.MILLISECONDS.toMicros(start.toEpochMilli());
        this.captureThread = new Thread(this::captureLoop, "ingest-capture-" + camera.id());
        this.senderThread = new Thread(this::sendLoop, "ingest-send-" + camera.id());
    }

    CameraConfig camera() {
        return camera;
    }

    CameraStats stats() {
        return stats;
    }

    void start() {
        captureThread.start();
        senderThread.start();
    }

    /** Stops reading; frames already read are still sent. */
    void stop() {
        stopping = true;
        captureThread.interrupt();
    }

    /** Waits until both threads ended; false on timeout. */
    boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        captureThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        senderThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        return !captureThread.isAlive() && !senderThread.isAlive();
    }

    private void sendLoop() {
        try {
            for (VideoFrame frame = queue.take(); frame != null; frame = queue.take()) {
                publisher.publish(frame, stats, inFlight);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            stats.error = "sending failed: " + e.getMessage();
            log.error("camera {}: {}", camera.id(), stats.error, e);
        }
    }

    private void captureLoop() {
        FrameEncoder encoder = new FrameEncoder(camera.maxSide(), camera.encoding(), camera.jpegQuality());
        FrameSampler sampler = new FrameSampler(camera.fps());
        CaptureClock clock = new CaptureClock(camera.kind().live(), startEpochMicros);
        // A file an earlier ingest published part of: read again from the start, so that sampling decides as it did,
        // with the same capture times, and publish only what comes after the last frame in the topic.
        long publishedThroughMicros = Long.MIN_VALUE;
        if (!camera.kind().live() && resume.continuesFile(FrameSource.redact(camera.source()))) {
            clock.resume(resume.positionMicros(), resume.captureMicros());
            publishedThroughMicros = resume.positionMicros();
        }
        String lastError = null;
        try {
            while (!stopping && !budgetSpent()) {
                try (FrameSource source = FrameSource.open(camera)) {
                    if (stats.opened) stats.reconnects.incrementAndGet();
                    stats.opened = true;
                    backoff.reset();
                    stats.totalFrames = camera.kind().live() ? 0 : source.lengthInFrames();
                    log.info("camera {}: opened {} ({}x{})", camera.id(), FrameSource.redact(camera.source()), source.width(), source.height());
                    clock.reconnected();
                    read(source, encoder, sampler, clock, publishedThroughMicros);
                    if (!camera.kind().live() || budgetSpent()) return;
                    if (camera.kind() == SourceKind.HTTP && source.reachedItsEnd()) {
                        log.info("camera {}: the file served at {} ended", camera.id(),
                                FrameSource.redact(camera.source()));
                        return;
                    }
                    if (!stopping) log.warn("camera {}: stream ended; reconnecting", camera.id());
                } catch (SourceException e) {
                    if (!camera.kind().live()) {
                        stats.error = e.getMessage();
                        return;
                    }
                    // A live source that does not open at first is tried again like one that dropped later.
                    lastError = e.getMessage();
                    if (!stopping) log.warn("camera {}: {}; {}", camera.id(), lastError,
                            stats.opened ? "reconnecting" : "trying again");
                }
                if (stopping) return;
                if (camera.maxReconnectAttempts() >= 0 && backoff.attempts() >= camera.maxReconnectAttempts()) {
                    stats.error = "camera " + camera.id() + ": gave up after " + backoff.attempts()
                            + " reconnection attempts" + (lastError == null ? "" : "; the last: " + lastError);
                    return;
                }
                Thread.sleep(backoff.next().toMillis());
            }
        } catch (InterruptedException e) {
            // stop() while waiting: end quietly
        } finally {
            queue.close();
            stats.finished();
        }
    }

    private void read(FrameSource source, FrameEncoder encoder, FrameSampler sampler, CaptureClock clock,
                      long publishedThroughMicros) throws InterruptedException {
        Map<String, String> metadata = new HashMap<>(camera.metadata());
        metadata.putIfAbsent("source", FrameSource.redact(camera.source()));
        long firstStreamMicros = Long.MIN_VALUE;
        long wallStartNanos = 0;
        // The converter owns the Mat it returns (a view of the grabber's frame) and frees it on close.
        try (OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            while (!stopping) {
                if (budgetSpent()) {
                    log.info("camera {}: ends after {} frames: {}", camera.id(), nextSequence - resume.nextSequence(),
                            cameraBudget.spent() ? "its maxFrames" : "the ingest's bound on frames in all");
                    return;
                }
                Frame frame = source.grab();
                if (frame == null) return;
                if (frame.image == null) continue;
                stats.read.incrementAndGet();
                long streamMicros = source.timestampMicros();
                long captureMicros = clock.captureMicros(streamMicros, nowMicros());
                if (!sampler.accept(captureMicros)) {
                    stats.sampledOut.incrementAndGet();
                    continue;
                }
                if (streamMicros <= publishedThroughMicros) {
                    stats.alreadyPublished.incrementAndGet();
                    continue;
                }
                // Another camera may have taken the ingest's last frame since the check above.
                if (!cameraBudget.take() || !totalBudget.take()) continue;
                if (camera.realtime() && !camera.kind().live()) {
                    if (firstStreamMicros == Long.MIN_VALUE) {
                        firstStreamMicros = streamMicros;
                        wallStartNanos = System.nanoTime();
                    }
                    long dueNanos = wallStartNanos + TimeUnit.MICROSECONDS.toNanos(streamMicros - firstStreamMicros);
                    long waitNanos = dueNanos - System.nanoTime();
                    if (waitNanos > 0) TimeUnit.NANOSECONDS.sleep(waitNanos);
                }
                Mat bgr = converter.convert(frame);
                long encodeStart = System.nanoTime();
                EncodedImage image = encoder.encode(bgr);
                stats.encodeNanos.addAndGet(System.nanoTime() - encodeStart);
                stats.sampled.incrementAndGet();
                Map<String, String> frameMetadata = new HashMap<>(metadata);
                frameMetadata.put(ResumePoint.POSITION_KEY, Long.toString(streamMicros));
                VideoFrame record = image.frame(camera.id(), nextSequence++,
                        Instant.ofEpochMilli(TimeUnit.MICROSECONDS.toMillis(captureMicros)), frameMetadata);
                stats.droppedBacklog.addAndGet(queue.put(record));
            }
        }
    }

    private boolean budgetSpent() {
        return cameraBudget.spent() || totalBudget.spent();
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return TimeUnit.SECONDS.toMicros(now.getEpochSecond()) + now.getNano() / 1000;
    }
}
