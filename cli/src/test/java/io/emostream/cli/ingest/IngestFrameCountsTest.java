package io.emostream.cli.ingest;

import io.emostream.cli.Main;
import io.emostream.ingest.SyntheticVideo;
import io.emostream.schemas.VideoFrame;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact frame counts of the ingest command on a real broker: frame bounds per camera and in all, a rate below 1 fps. */
class IngestFrameCountsTest {
    private static final int VIDEO_FRAMES = 40;
    @RegisterExtension
    static final BrokerWithVideo kafka = new BrokerWithVideo(VIDEO_FRAMES);
    @TempDir
    static Path dir;

    @Test
    void eachCameraPublishesExactlyItsMaxFramesAndReadsNoFurther() throws Exception {
        Path cameras = Files.writeString(dir.resolve("bounded.yaml"), """
                cameras:
                  - {id: cam-a, source: %s, maxFrames: 7}
                  - {id: cam-b, source: %s}
                  - {id: cam-c, source: %s, maxFrames: 0}
                """.formatted(kafka.video(), kafka.video(), kafka.video()));
        String out = ingest("frames-per-camera", "--cameras", cameras.toString(), "--max-frames", "12");

        Map<String, List<Long>> sequences = sequencesByCamera("frames-per-camera");
        assertEquals(range(7), sequences.get("cam-a"), "the file's maxFrames wins over the flag");
        assertEquals(range(12), sequences.get("cam-b"), "--max-frames");
        assertEquals(range(VIDEO_FRAMES), sequences.get("cam-c"), "maxFrames 0: the whole file");
        assertTrue(out.contains("camera cam-a: 7 frames read, 7 sampled, 7 published"), out);
        assertTrue(out.contains("camera cam-b: 12 frames read, 12 sampled, 12 published"), out);
    }

    @Test
    void allCamerasTogetherPublishExactlyMaxFramesTotal() throws Exception {
        Path cameras = Files.writeString(dir.resolve("total.yaml"), """
                cameras:
                  - {id: cam-a, source: %s}
                  - {id: cam-b, source: %s}
                """.formatted(kafka.video(), kafka.video()));
        ingest("frames-total", "--cameras", cameras.toString(), "--max-frames-total", "15");

        Map<String, List<Long>> sequences = sequencesByCamera("frames-total");
        assertEquals(15, sequences.values().stream().mapToInt(List::size).sum(), sequences.toString());
        sequences.forEach((camera, seqs) -> assertEquals(range(seqs.size()), seqs, camera + ": a prefix of its file"));
    }

    @Test
    void halfAFramePerSecondOfATenFpsFileOf795FramesPublishesForty() throws Exception {
        Path long10fps = dir.resolve("long.mp4");
        assertEquals(795, SyntheticVideo.write(long10fps, 64, 48, 10, 79.5));
        ingest("frames-half-fps", "--camera", "slow", "--source", long10fps.toString(), "--fps", "0.5");

        // one frame per 2 s slot from the first frame's timestamp; the last frame is at 79.4 s: slots 0 to 39
        List<Long> sequences = sequencesByCamera("frames-half-fps").get("slow");
        assertEquals(range(40), sequences);
    }

    @ParameterizedTest
    @CsvSource({"--max-frames, maxFrames", "--max-frames-total, maxFramesTotal"})
    void aNegativeBoundIsAUsageErrorNamingTheSetting(String flag, String setting) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("ingest", "--bootstrap-servers", kafka.bootstrapServers(), "--camera", "cam",
                "--source", kafka.video().toString(), flag, "-3");
        assertEquals(Main.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains(setting + " must be 0 (no bound) or more, got -3"), err.toString());
    }

    /** Runs {@code ingest} into a new topic and returns its stdout; fails unless it exits 0. */
    private static String ingest(String topic, String... args) {
        kafka.createTopic(topic, 2);
        List<String> command = new ArrayList<>(List.of("ingest", "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic", topic, "--max-side", "64"));
        command.addAll(List.of(args));
        return IngestRuns.succeed(command);
    }

    private static Map<String, List<Long>> sequencesByCamera(String topic) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (ConsumerRecord<String, VideoFrame> r : FrameTopic.readAll(kafka.bootstrapServers(), topic)) {
            out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().getSequence());
        }
        return out;
    }

    private static List<Long> range(int n) {
        return LongStream.range(0, n).boxed().toList();
    }
}
