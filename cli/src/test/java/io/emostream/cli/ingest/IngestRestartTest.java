package io.emostream.cli.ingest;

import io.emostream.cli.ChildJvm;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An ingest killed with {@code kill -9} mid-file and started again goes on where it stopped: every frame after the
 * last one in the topic is sent once, with the sequence, source position and capture time an uninterrupted ingest
 * gives it, and none before it again. A
 * source read again from its start still gets new sequences, so camera id and sequence stay unique (the live case).
 */
class IngestRestartTest {
    private static final String CAMERA = "cam-r";
    @RegisterExtension
    static final BrokerWithVideo kafka = new BrokerWithVideo(60);
    @TempDir
    static Path dir;

    /** What identifies a published frame, where in the file it came from, and when it was captured less that. */
    private record Published(long sequence, long positionUs, long captureLessPositionMs) { }

    @Test
    void fileIngestKilledMidFileGoesOnWhereItStoppedWithEveryFrameOnce() throws Exception {
        kafka.createTopic("frames-reference", 2);
        ingest("--topic", "frames-reference", "--fps", "4");
        List<Published> reference = published("frames-reference");
        assertEquals(24, reference.size(), "6 s at 4 fps");

        kafka.createTopic("frames-restarted", 2);
        Path log = dir.resolve("killed-ingest.log");
        Process killed = ChildJvm.start(log, "ingest", "--bootstrap-servers", kafka.bootstrapServers(),
                "--camera", CAMERA, "--source", kafka.video().toString(), "--topic", "frames-restarted", "--max-side", "64",
                "--fps", "4", "--realtime");
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (published("frames-restarted").size() < 5) {
                assertTrue(killed.isAlive(), () -> "the ingest ended before it was killed: " + ChildJvm.tail(log));
                assertTrue(System.nanoTime() < deadline, () -> "no frames within 2 minutes: " + ChildJvm.tail(log));
                Thread.sleep(100);
            }
        } finally {
            killed.destroyForcibly(); // SIGKILL
        }
        assertTrue(killed.waitFor(30, TimeUnit.SECONDS), "the killed ingest is gone");
        List<Published> beforeKill = published("frames-restarted");
        long lastBeforeKill = beforeKill.get(beforeKill.size() - 1).sequence();
        assertTrue(lastBeforeKill < reference.size() - 1, "killed mid-file, after frame " + lastBeforeKill);
        // --realtime paces the file like a camera, so the killed ingest may have dropped frames it could not send
        // in time (counted as backlog): what it sent is part of the uninterrupted ingest's frames.
        assertTrue(positions(reference).containsAll(positions(beforeKill)), () -> beforeKill + " not in " + reference);

        String out = ingest("--topic", "frames-restarted", "--fps", "4");
        assertTrue(out.contains("skipped, published before"), out);
        List<Published> expected = new ArrayList<>(positions(beforeKill));
        positions(reference).stream().filter(p -> p.sequence() > lastBeforeKill).forEach(expected::add);
        List<Published> restarted = published("frames-restarted");
        assertEquals(expected, positions(restarted),
                "the resumed ingest sent the frames of an uninterrupted one after the last frame in the topic, once");
        assertEquals(1, restarted.stream().map(Published::captureLessPositionMs).distinct().count(),
                "the resumed frames keep the capture times of the killed ingest's: " + restarted);

        ingest("--topic", "frames-restarted", "--fps", "4");
        assertEquals(restarted, published("frames-restarted"), "a file read to its end is not published again");
    }

    @Test
    void sourceReadAgainFromItsStartGetsSequencesAfterTheTopicsLastOne() {
        kafka.createTopic("frames-again", 2);
        ingest("--topic", "frames-again", "--max-frames", "5");
        ingest("--topic", "frames-again", "--max-frames", "5", "--from-start");
        List<Published> frames = published("frames-again");
        assertEquals(LongStream.range(0, 10).boxed().toList(), frames.stream().map(Published::sequence).toList());
        assertEquals(frames.subList(0, 5).stream().map(Published::positionUs).toList(),
                frames.subList(5, 10).stream().map(Published::positionUs).toList(), "the second run read from the start");
    }

    /** Runs {@code ingest} of the test video as {@link #CAMERA} in this JVM; returns its stdout, failing unless it exits 0. */
    private static String ingest(String... args) {
        List<String> command = new ArrayList<>(List.of("ingest", "--bootstrap-servers", kafka.bootstrapServers(),
                "--camera", CAMERA, "--source", kafka.video().toString(), "--max-side", "64"));
        command.addAll(List.of(args));
        return IngestRuns.succeed(command);
    }

    private static List<Published> published(String topic) {
        return FrameTopic.readAll(kafka.bootstrapServers(), topic).stream().filter(r -> r.key().equals(CAMERA))
                .map(ConsumerRecord::value).map(f -> {
                    long position = Long.parseLong(f.getMetadata().get("source.position.us"));
                    return new Published(f.getSequence(), position,
                            f.getCaptureTimestamp().toEpochMilli() - position / 1000);
                }).toList();
    }

    /** The frames without their capture times, which differ from one ingest of a file to the next. */
    private static List<Published> positions(List<Published> frames) {
        return frames.stream().map(p -> new Published(p.sequence(), p.positionUs(), 0)).toList();
    }
}
