package io.emostream.cli.e2e;

import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.cli.ingest.FrameTopic;
import io.emostream.ingest.CameraConfig;
import io.emostream.ingest.CameraStats;
import io.emostream.ingest.Ingest;
import io.emostream.ingest.IngestSettings;
import io.emostream.ingest.SyntheticVideo;
import io.emostream.topology.Topics;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker goes away mid-stream for a few seconds and comes back on the same log directory and port: the ingest
 * and the application carry on by themselves, every frame that reached Kafka gets its results, the file camera
 * waits and loses nothing, and the paced camera (a file read at its native rate, like a live camera) drops what it
 * could not send meanwhile and counts it.
 */
class BrokerOutageTest {
    private static final long OUTAGE_MS = 8_000;
    private static final Duration RESULT_STALL = Duration.ofSeconds(120);

    @TempDir
    static Path dir;

    private record FrameId(String camera, long sequence) { }

    @Test
    void ingestAndRunResumeAfterTheBrokerWasAwayAndThePacedCameraCountsWhatItDropped() throws Exception {
        Map<String, String> settings = new HashMap<>(TestModels.settings());
        Path paced = dir.resolve("paced.mp4");
        Path file = dir.resolve("file.mp4");
        SyntheticVideo.write(paced, 160, 120, 10, 20);
        SyntheticVideo.write(file, 160, 120, 10, 300);
        CameraConfig pacedCamera = CameraConfig.fromSettings(Map.of("id", "paced", "source", paced.toString(),
                "fps", "2", "maxSide", "64", "realtime", "true"));
        CameraConfig fileCamera = CameraConfig.fromSettings(Map.of("id", "file", "source", file.toString(),
                "fps", "0.2", "maxSide", "64"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            settings.putAll(TestApps.settings(kafka.bootstrapServers(), dir, "outage", 2));
            EmoStreamAppConfig config = new EmoStreamAppConfig(settings);
            Topics topics = config.topics();
            try (Admin admin = kafka.admin()) {
                TopicProvisioner.ensure(admin, config);
            }
            Map<String, CameraStats> stats;
            long fileSentBeforeOutage;
            try (ResultCollector results = new ResultCollector(kafka.bootstrapServers(), topics);
                 EmoStreamApp app = EmoStreamApp.create(config)) {
                app.start();
                try (Ingest pacedIngest = Ingest.start(IngestSettings.of(kafka.bootstrapServers(), topics.frames(),
                        List.of(pacedCamera), Map.of()))) {
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                    while (pacedIngest.stats().get("paced").published() < 3) {
                        assertTrue(System.nanoTime() < deadline, "the paced camera published nothing");
                        Thread.sleep(50);
                    }
                    // The file camera starts just before the broker goes, so that it is mid-file while it is away.
                    try (Ingest fileIngest = Ingest.start(IngestSettings.of(kafka.bootstrapServers(),
                            topics.frames(), List.of(fileCamera), Map.of()))) {
                        kafka.stop();
                        fileSentBeforeOutage = fileIngest.stats().get("file").published();
                        Thread.sleep(OUTAGE_MS); // the fault's length, not a timing assertion
                        kafka.restart();
                        assertTrue(pacedIngest.await(Duration.ofMinutes(3)), "the paced camera ended by itself");
                        assertTrue(fileIngest.await(Duration.ofMinutes(3)), "the file camera ended by itself");
                        pacedIngest.close();
                        fileIngest.close();
                        stats = new HashMap<>(pacedIngest.stats());
                        stats.putAll(fileIngest.stats());
                    }
                }

                CameraStats pacedStats = stats.get("paced");
                CameraStats fileStats = stats.get("file");
                assertEquals(60, fileStats.sampled(), fileStats.summary());
                assertTrue(fileSentBeforeOutage < fileStats.sampled(), "the file camera was mid-file when the broker "
                        + "went: " + fileSentBeforeOutage + " frames sent");
                assertEquals(fileStats.sampled(), fileStats.published(),
                        "the file camera waited for the broker and lost nothing: " + fileStats.summary());
                assertEquals(40, pacedStats.sampled(), pacedStats.summary());
                assertTrue(pacedStats.droppedBacklog() > 0, "the paced camera dropped while the broker was away: "
                        + pacedStats.summary());
                assertEquals(pacedStats.sampled(), pacedStats.published() + pacedStats.droppedBacklog(),
                        "every frame the paced camera read was sent or counted as dropped: " + pacedStats.summary());
                assertEquals(0, pacedStats.failed() + fileStats.failed(), "no send failed");

                Set<FrameId> inKafka = framesIn(kafka.bootstrapServers(), topics.frames());
                assertEquals(pacedStats.published() + fileStats.published(), inKafka.size(),
                        "the topic holds what the ingest counted as sent");
                results.pollUntil(r -> ids(r).containsAll(inKafka) && segmented(r).containsAll(inKafka),
                        RESULT_STALL);
                assertTrue(results.deadLetters.isEmpty(), () -> "no dead letters: " + results.deadLetters);
            }
        }
    }

    private static Set<FrameId> ids(ResultCollector r) {
        Set<FrameId> out = new HashSet<>();
        r.detections.forEach(d -> out.add(new FrameId(d.getCameraId(), d.getSequence())));
        return out;
    }

    private static Set<FrameId> segmented(ResultCollector r) {
        Set<FrameId> out = new HashSet<>();
        r.segmentations.forEach(s -> out.add(new FrameId(s.getCameraId(), s.getSequence())));
        return out;
    }

    /** Every frame in the topic, by camera and sequence. */
    private static Set<FrameId> framesIn(String bootstrapServers, String topic) {
        Set<FrameId> out = new HashSet<>();
        FrameTopic.readAll(bootstrapServers, topic).forEach(r -> out.add(new FrameId(r.key(),
                r.value().getSequence())));
        return out;
    }
}
