package io.emostream.connect.it;

import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.processors.objects.FlatObjectsProcessor;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.ClassShareStats;
import io.emostream.schemas.ClassStats;
import io.emostream.schemas.DetectedObject;
import io.emostream.schemas.LineStats;
import io.emostream.schemas.ZoneStats;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.analytics.CameraStatsWindows;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ready-made connector configurations of deploy/connect on a real Kafka Connect worker: Debezium's JDBC sink,
 * installed from its plugin archive, reads {@code objects} and {@code camera-stats} through the emostream converter
 * and writes them into a real PostgreSQL, into the tables of deploy/connect/postgres-tables.sql. Only the database
 * coordinates (and the dead-letter topic's replication factor, for the one-broker cluster) differ from the files.
 */
class JdbcSinkIT {
    private static final Path DEPLOY = Path.of(System.getProperty("deploy.connect.dir"));
    private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

    private static EmbeddedKafka kafka;
    private static EmbeddedPostgres postgres;
    private static ConnectWorker worker;

    @BeforeAll
    static void start() throws IOException, SQLException {
        kafka = EmbeddedKafka.start();
        postgres = EmbeddedPostgres.builder().start();
        try (Connection db = database(); Statement sql = db.createStatement()) {
            sql.execute(Files.readString(DEPLOY.resolve("postgres-tables.sql")));
        }
        worker = ConnectWorker.start(kafka.bootstrapServers(), Path.of(System.getProperty("connect.plugin.path")));
    }

    @AfterAll
    static void stop() throws IOException {
        if (worker != null) worker.close();
        if (kafka != null) kafka.close();
        if (postgres != null) postgres.close();
    }

    @Test
    void objectsLandOneRowPerRecordInTypedColumnsAndRedeliveriesOverwriteTheirRow() throws Exception {
        kafka.createTopic("objects", 2);
        List<DetectedObject> objects = new ArrayList<>();
        for (int camera = 1; camera <= 3; camera++) {
            for (long sequence = 0; sequence < 8; sequence++) {
                for (int index = 0; index < sequence % 3; index++) {
                    objects.add(object("cam-" + camera, sequence, index, "person"));
                }
            }
        }
        produce("objects", objects, FlatObjectsProcessor::key, AvroSerdes.detectedObject()::serialize);

        String sink = deploy("objects-postgres-sink.json");

        awaitRows(sink, "select count(*) from objects", objects.size());
        assertEquals(Map.ofEntries(Map.entry("id", "text"), Map.entry("cameraid", "text"),
                Map.entry("sequence", "bigint"), Map.entry("capturetimestamp", "timestamp with time zone"),
                Map.entry("objectindex", "integer"), Map.entry("trackid", "bigint"), Map.entry("classid", "integer"),
                Map.entry("label", "text"), Map.entry("score", "double precision"),
                Map.entry("x1", "double precision"), Map.entry("y1", "double precision"),
                Map.entry("x2", "double precision"), Map.entry("y2", "double precision"),
                Map.entry("modelname", "text"), Map.entry("modeltrained", "boolean")), columnTypes("objects"));
        DetectedObject sample = objects.get(4);
        try (Connection db = database(); Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("select cameraid, sequence, objectindex, trackid, score, x2,"
                     + " modeltrained, (extract(epoch from capturetimestamp) * 1000)::bigint as capture_ms"
                     + " from objects where id = '" + FlatObjectsProcessor.key(sample) + "'")) {
            assertTrue(row.next());
            assertEquals(sample.getCameraId(), row.getString("cameraid"));
            assertEquals(sample.getSequence(), row.getLong("sequence"));
            assertEquals(sample.getObjectIndex(), row.getInt("objectindex"));
            assertEquals(sample.getTrackId(), row.getObject("trackid"));
            assertEquals(sample.getScore(), row.getDouble("score"));
            assertEquals(sample.getX2(), row.getDouble("x2"));
            assertFalse(row.getBoolean("modeltrained"));
            assertEquals(sample.getCaptureTimestamp().toEpochMilli(), row.getLong("capture_ms"), "the same instant");
        }

        List<DetectedObject> relabelled = objects.subList(0, 5).stream()
                .map(o -> DetectedObject.newBuilder(o).setLabel("relabelled").build()).toList();
        produce("objects", relabelled, FlatObjectsProcessor::key, AvroSerdes.detectedObject()::serialize);

        awaitRows(sink, "select count(*) from objects where label = 'relabelled'", relabelled.size());
        assertEquals(objects.size(), queryLong("select count(*) from objects"), "overwritten, not added");
    }

    @Test
    void cameraStatsUpsertByKeyToOneRowPerWindowWithItsFinalValues() throws Exception {
        kafka.createTopic("camera-stats", 2);
        List<CameraStats> updates = new ArrayList<>();
        List<CameraStats> finals = new ArrayList<>();
        for (int camera = 1; camera <= 2; camera++) {
            for (int window = 0; window < 3; window++) {
                updates.add(stats("cam-" + camera, window, false, 10L * window + camera));
                finals.add(stats("cam-" + camera, window, true, 100L * window + camera));
            }
        }
        List<CameraStats> produced = new ArrayList<>(updates);
        produced.addAll(finals);
        produce("camera-stats", produced,
                s -> CameraStatsWindows.statsKey(s.getCameraId(), s.getWindowStart()), AvroSerdes.cameraStats()::serialize);

        String sink = deploy("camera-stats-postgres-sink.json");

        awaitRows(sink, "select count(*) from camera_stats where final", finals.size());
        assertEquals(finals.size(), queryLong("select count(*) from camera_stats"), "one row per camera and window");
        for (CameraStats expected : finals) {
            assertEquals(expected.getFrames(), queryLong("select frames from camera_stats where id = '"
                    + CameraStatsWindows.statsKey(expected.getCameraId(), expected.getWindowStart()) + "'"));
        }
        assertEquals(Map.of("id", "text", "cameraid", "text", "windowstart", "timestamp with time zone",
                "windowend", "timestamp with time zone", "final", "boolean", "frames", "bigint"),
                columnTypes("camera_stats"), "the nested lists stay out");
        assertEquals(START.plusSeconds(20).getEpochSecond(), queryLong("select extract(epoch from windowstart)::bigint"
                + " from camera_stats where id = '" + CameraStatsWindows.statsKey("cam-1", START.plusSeconds(20)) + "'"));
    }

    /** Creates the connector of a deploy/connect file, with this test's database; returns its name. */
    private static String deploy(String file) throws InterruptedException {
        Map.Entry<String, Map<String, String>> connector = ConnectWorker.connectorFile(DEPLOY.resolve(file));
        Map<String, String> config = new HashMap<>(connector.getValue());
        config.put("connection.url", postgres.getJdbcUrl("postgres", "postgres").replaceFirst("\\?.*", ""));
        config.put("connection.username", "postgres");
        config.put("connection.password", "postgres");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        worker.deploy(connector.getKey(), config);
        return connector.getKey();
    }

    private static DetectedObject object(String camera, long sequence, int index, String label) {
        return DetectedObject.newBuilder()
                .setCameraId(camera).setSequence(sequence).setCaptureTimestamp(START.plusMillis(40 * sequence + 7))
                .setObjectIndex(index).setTrackId(index == 0 ? null : 100L + index)
                .setClassId(index).setLabel(label).setScore(0.25 + index / 10.0)
                .setX1(10.5 * index).setY1(20).setX2(10.5 * index + 30.25).setY2(80)
                .setModelName("emo-1m-ssdlite").setModelTrained(false)
                .build();
    }

    private static CameraStats stats(String camera, int window, boolean isFinal, long frames) {
        Instant start = START.plusSeconds(10L * window);
        return CameraStats.newBuilder()
                .setCameraId(camera).setWindowStart(start).setWindowEnd(start.plusSeconds(10))
                .setFinal$(isFinal).setFrames(frames)
                .setClasses(List.of(new ClassStats(0, "person", 1.5, 3, 2)))
                .setLines(List.of(new LineStats("door", 2L, 1L)))
                .setZones(List.of(new ZoneStats("lobby", 0.5, 1, 1L, 1200.0)))
                .setSegmentation(List.of(new ClassShareStats(1, "road", 0.25)))
                .build();
    }

    private static <T> void produce(String topic, List<T> values, Function<T, String> key,
                                    BiFunction<String, T, byte[]> serialize) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (T value : values) {
                producer.send(new ProducerRecord<>(topic, key.apply(value), serialize.apply(topic, value))).get();
            }
        }
    }

    private static Connection database() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    /** The first column of the first row, as a long. */
    private static long queryLong(String query) throws SQLException {
        try (Connection db = database(); Statement sql = db.createStatement(); ResultSet rows = sql.executeQuery(query)) {
            return rows.next() ? rows.getLong(1) : -1;
        }
    }

    private static void awaitRows(String sink, String query, long expected) throws InterruptedException {
        Waits.until(() -> {
            worker.running(sink); // fails at once when the sink failed
            try {
                return queryLong(query) == expected;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, ConnectWorker.TIMEOUT, () -> "'" + query + "' = " + expected + "; " + sink + ": " + worker.status(sink));
    }

    private static Map<String, String> columnTypes(String table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (Connection db = database(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("select column_name, data_type from information_schema.columns"
                     + " where table_name = '" + table + "'")) {
            while (rows.next()) types.put(rows.getString(1), rows.getString(2));
        }
        return types;
    }
}
