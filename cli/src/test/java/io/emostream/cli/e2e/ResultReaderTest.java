package io.emostream.cli.e2e;

import io.emostream.cli.embedded.BrokerPerClass;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.Point;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.ResultReader;
import io.emostream.topology.Topics;
import io.emostream.topology.analytics.CameraStatsWindows;
import io.emostream.topology.analytics.Tracking;
import io.emostream.topology.analytics.ZoneAnalytics;
import io.emostream.topology.app.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader of an application's topics, on the real embedded broker. */
class ResultReaderTest {
    private static final Topics TOPICS = new Topics("reader-frames", "reader-detections", "reader-segmentations",
            "reader-dlq");
    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass();

    @Test
    void framesArriveWithTheirOffsetsAndARecordThatIsNoFrameIsReportedAtItsOffset() throws Exception {
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.create(admin, List.of(new NewTopic(TOPICS.frames(), 1, (short) 1)));
        }
        byte[] frame = TestFrames.frame("cam-a", 4, TestFrames.jpeg(30));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPICS.frames(), "cam-a", frame));
            producer.send(new ProducerRecord<>(TOPICS.frames(), "cam-a", "garbage".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

        List<String> seen = new ArrayList<>();
        ResultReader.Handler handler = new ResultReader.Handler() {
            @Override
            public void frame(int partition, long offset, VideoFrame f) {
                seen.add(f.getCameraId() + "#" + f.getSequence() + " at " + partition + "/" + offset);
            }

            @Override
            public void unreadableFrame(int partition, long offset) {
                seen.add("no frame at " + partition + "/" + offset);
            }
        };
        try (ResultReader reader = new ResultReader(kafka.bootstrapServers(), TOPICS,
                EnumSet.of(ResultReader.Kind.FRAMES), handler)) {
            assertTrue(reader.pollUntil(() -> seen.size() >= 2, Duration.ofSeconds(60)), "read " + seen);
        }
        assertEquals(List.of("cam-a#4 at 0/0", "no frame at 0/1"), seen);
    }

    @Test
    void analyticsRecordsReachTheirHandlerAndPollingToTheEndReadsAllThatWasWritten() throws Exception {
        EmoStreamConfig config = new EmoStreamConfig(Map.of(Tracking.TRACKS_TOPIC, "reader-tracks",
                CameraStatsWindows.CAMERA_STATS_TOPIC, "reader-stats"));
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.create(admin, List.of(new NewTopic("reader-tracks", 2, (short) 1),
                    new NewTopic("reader-stats", 1, (short) 1)));
        }
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        FrameTracks tracks = FrameTracks.newBuilder().setCameraId("cam-a").setSequence(7).setCaptureTimestamp(at)
                .setFrameWidth(320).setFrameHeight(240).setModel(new ModelInfo("fixture", "0", false, "cpu"))
                .setTracks(List.of()).build();
        CameraStats stats = CameraStats.newBuilder().setCameraId("cam-a").setWindowStart(at)
                .setWindowEnd(at.plusSeconds(10)).setFrames(1).setClasses(List.of()).setLines(List.of())
                .setZones(List.of()).setSegmentation(List.of()).build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("reader-tracks", "cam-" + i,
                        AvroSerdes.frameTracks().serializer().serialize("reader-tracks", tracks)));
            }
            producer.send(new ProducerRecord<>("reader-stats", "cam-a",
                    AvroSerdes.cameraStats().serializer().serialize("reader-stats", stats)));
            producer.flush();
        }

        List<Object> seen = new ArrayList<>();
        ResultReader.Handler handler = new ResultReader.Handler() {
            @Override
            public void tracks(FrameTracks t) {
                seen.add(t);
            }

            @Override
            public void cameraStats(CameraStats s) {
                seen.add(s);
            }
        };
        try (ResultReader reader = new ResultReader(kafka.bootstrapServers(), config,
                EnumSet.of(ResultReader.Kind.TRACKS, ResultReader.Kind.CAMERA_STATS), handler)) {
            assertTrue(reader.pollToEnd(Duration.ofSeconds(60)), "read " + seen);
        }
        assertEquals(4, seen.size(), "read " + seen);
        assertEquals(3, seen.stream().filter(tracks::equals).count());
        assertTrue(seen.contains(stats));
    }

    @Test
    void seekingToATimeSkipsTheRecordsStampedBeforeItAndTheProgressCountsWhatIsLeft() throws Exception {
        Topics timed = new Topics("reader-timed-frames", "reader-detections", "reader-segmentations", "reader-dlq");
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.create(admin, List.of(new NewTopic(timed.frames(), 1, (short) 1)));
        }
        Instant start = Instant.now().minusSeconds(60);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(timed.frames(), null, start.plusSeconds(i).toEpochMilli(), "cam-a",
                        TestFrames.frame("cam-a", i, TestFrames.jpeg(30))));
            }
            producer.flush();
        }

        List<Long> sequences = new ArrayList<>();
        List<Long> totals = new ArrayList<>();
        ResultReader.Handler handler = new ResultReader.Handler() {
            @Override
            public void frame(int partition, long offset, VideoFrame f) {
                sequences.add(f.getSequence());
            }
        };
        try (ResultReader reader = new ResultReader(kafka.bootstrapServers(), timed,
                EnumSet.of(ResultReader.Kind.FRAMES), handler)) {
            reader.seekTo(start.plusSeconds(2), EnumSet.of(ResultReader.Kind.FRAMES));
            assertTrue(reader.readToEnd(Duration.ofSeconds(60), (done, total) -> totals.add(total)));
        }
        assertEquals(List.of(2L, 3L, 4L), sequences);
        assertEquals(3L, totals.get(totals.size() - 1), "offsets to read after the seek");
    }

    @Test
    void acceptedCameraConfigsAndTheirTombstonesReachTheirHandlerByCamera() throws Exception {
        EmoStreamConfig config = new EmoStreamConfig(Map.of(ZoneAnalytics.CAMERA_CONFIG_ACCEPTED_TOPIC,
                "reader-configs"));
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.create(admin, List.of(new NewTopic("reader-configs", 1, (short) 1)));
        }
        CameraConfig gate = new CameraConfig("cam-a", List.of(),
                List.of(new LineConfig("gate", new Point(0.5, 0.0), new Point(0.5, 1.0))));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("reader-configs", "cam-a",
                    AvroSerdes.cameraConfig().serialize("reader-configs", gate)));
            producer.send(new ProducerRecord<>("reader-configs", "cam-a", null));
            producer.flush();
        }

        List<String> seen = new ArrayList<>();
        ResultReader.Handler handler = new ResultReader.Handler() {
            @Override
            public void cameraConfig(String cameraId, CameraConfig c) {
                seen.add(cameraId + ": " + (c == null ? "removed" : c.getLines().get(0).getId()));
            }
        };
        try (ResultReader reader = new ResultReader(kafka.bootstrapServers(), config,
                EnumSet.of(ResultReader.Kind.CAMERA_CONFIGS), handler)) {
            assertTrue(reader.pollToEnd(Duration.ofSeconds(60)), "read " + seen);
        }
        assertEquals(List.of("cam-a: gate", "cam-a: removed"), seen);
    }

    @Test
    void anAnalyticsTopicCannotBeChosenWithoutTheAnalyticsTopicNames() {
        String message = refusal(IllegalArgumentException.class, ResultReader.Kind.TRACKS);
        assertTrue(message.contains("EmoStreamConfig"), message);
    }

    @Test
    void aTopicThatDoesNotExistIsNamed() {
        String message = refusal(IllegalStateException.class, ResultReader.Kind.DEAD_LETTERS);
        assertTrue(message.contains("reader-dlq"), message);
    }

    /** The message of the {@code type} exception that refuses a reader of {@code kind} on {@link #TOPICS}. */
    private static String refusal(Class<? extends RuntimeException> type, ResultReader.Kind kind) {
        return assertThrows(type, () -> new ResultReader(kafka.bootstrapServers(), TOPICS, EnumSet.of(kind),
                new ResultReader.Handler() { })).getMessage();
    }
}
