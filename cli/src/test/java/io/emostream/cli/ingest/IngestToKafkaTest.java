package io.emostream.cli.ingest;

import io.emostream.ingest.SyntheticVideo;
import io.emostream.schemas.ImageEncoding;
import io.emostream.schemas.VideoFrame;
import io.emostream.cli.Main;
import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.topology.app.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ingest command against a real broker: two cameras from one synthetic video into a 4-partition topic. */
class IngestToKafkaTest {
    private static EmbeddedKafka kafka;
    @TempDir
    static Path dir;
    private static Path video;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        video = dir.resolve("synthetic.mp4");
        SyntheticVideo.write(video, 640, 360, 30, 3);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) kafka.close();
    }

    @Test
    void everySampledFrameOfTwoCamerasArrivesOnceInOrderAtTheRightSize() throws Exception {
        kafka.createTopic("frames-two", 4);
        Path cameras = Files.writeString(dir.resolve("cameras.yaml"), """
                cameras:
                  - {id: cam-a, source: %s}
                  - {id: cam-b, source: %s, maxSide: 160, metadata: {site: test}}
                """.formatted(video, video));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("ingest", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "frames-two",
                "--cameras", cameras.toString(), "--fps", "5", "--max-side", "320");
        assertEquals(0, code, "stdout: " + out + "\nstderr: " + err);

        Map<String, List<ConsumerRecord<String, VideoFrame>>> byCamera = new TreeMap<>();
        for (ConsumerRecord<String, VideoFrame> r : FrameTopic.readAll(kafka.bootstrapServers(), "frames-two")) {
            assertEquals(r.key(), r.value().getCameraId(), "key = camera id");
            byCamera.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        assertEquals(List.of("cam-a", "cam-b"), List.copyOf(byCamera.keySet()));
        Map<String, int[]> sizes = Map.of("cam-a", new int[]{320, 180}, "cam-b", new int[]{160, 90});
        for (var entry : byCamera.entrySet()) {
            List<ConsumerRecord<String, VideoFrame>> records = entry.getValue();
            // 3 s of 30 fps video at --fps 5: 15 frames, within one
            assertTrue(Math.abs(records.size() - 15) <= 1, entry.getKey() + ": " + records.size() + " frames");
            assertEquals(1, records.stream().map(ConsumerRecord::partition).distinct().count(), "one partition per camera");
            for (int i = 0; i < records.size(); i++) {
                VideoFrame f = records.get(i).value();
                assertEquals(i, f.getSequence(), "every sampled frame once, in order");
                assertArrayEquals(sizes.get(entry.getKey()), new int[]{f.getWidth(), f.getHeight()});
                assertArrayEquals(sizes.get(entry.getKey()), FrameTopic.decodedSize(f));
                assertEquals(f.getCaptureTimestamp().toEpochMilli(), records.get(i).timestamp(), "record time = capture time");
                if (i > 0) {
                    VideoFrame prev = records.get(i - 1).value();
                    assertTrue(f.getCaptureTimestamp().isAfter(prev.getCaptureTimestamp()), "capture time increases");
                    assertTrue(!f.getIngestTimestamp().isBefore(prev.getIngestTimestamp()), "ingest time never decreases");
                }
            }
        }
        assertEquals("test", byCamera.get("cam-b").get(0).value().getMetadata().get("site"));
        assertTrue(out.toString().contains("camera cam-a: 90 frames read"), out.toString());
    }

    @Test
    void frameLargerThanTheTopicAllowsIsDroppedAndTheRunGoesOn() throws Exception {
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.create(admin, List.of(new NewTopic("frames-small", 2, (short) 1)
                    .configs(Map.of("max.message.bytes", "100000"))));
        }
        // raw BGR: 320x180x3 = 172,800 bytes does not fit, 64x36x3 = 6,912 does
        Path cameras = Files.writeString(dir.resolve("raw.yaml"), """
                defaults: {encoding: RAW_BGR24, fps: 5}
                cameras:
                  - {id: big, source: %s, maxSide: 320}
                  - {id: small, source: %s, maxSide: 64}
                """.formatted(video, video));
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        assertEquals(0, cli.execute("ingest", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "frames-small",
                "--cameras", cameras.toString()), out.toString());
        List<ConsumerRecord<String, VideoFrame>> records = FrameTopic.readAll(kafka.bootstrapServers(), "frames-small");
        assertTrue(records.stream().allMatch(r -> r.key().equals("small")), "no frame of the big camera arrived");
        assertTrue(Math.abs(records.size() - 15) <= 1, records.size() + " frames");
        for (ConsumerRecord<String, VideoFrame> r : records) {
            assertEquals(ImageEncoding.RAW_BGR24, r.value().getEncoding());
            assertEquals(64 * 36 * 3, r.value().getImage().remaining());
        }
        assertTrue(out.toString().matches("(?s).*camera big: .* published .* dropped 0 \\(backlog\\) \\+ 1[456] \\(too large\\).*"),
                out.toString());
    }
}
