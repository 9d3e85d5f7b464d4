package io.emostream.connect.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.NormalizedBox;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.StageLatencies;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The converter on a real Kafka Connect worker, loaded from the plugin directory as users install it: every field
 * of {@code detections} reaches a sink task, and bytes that are not a record go to the worker's dead-letter queue
 * while the sink carries on.
 */
class AvroConverterOnWorkerIT {
    private static final String CONVERTER = "io.emostream.connect.AvroConverter";
    private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

    private static final Path PLUGIN_PATH = Path.of(System.getProperty("connect.plugin.path"));

    private static EmbeddedKafka kafka;
    private static ConnectWorker worker;

    @BeforeAll
    static void startWorker() {
        kafka = EmbeddedKafka.start();
        worker = ConnectWorker.start(kafka.bootstrapServers(), PLUGIN_PATH);
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) worker.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void theWorkerLoadsTheConverterFromThePluginDirectoryNotTheClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(CONVERTER), "not on the test classpath");
        List<String> converters = new ArrayList<>();
        for (JsonNode plugin : worker.get("/connector-plugins?connectorsOnly=false")) {
            if ("converter".equals(plugin.path("type").asText())) converters.add(plugin.path("class").asText());
        }
        assertTrue(converters.contains(CONVERTER), "the worker lists it: " + converters);
    }

    @Test
    void thePluginFolderHoldsTheConverterAndItsDependenciesButNoneOfKafkasJars() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(PLUGIN_PATH.resolve("emostream-connect").resolve("lib"))) {
            jars = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("emostream-connect-")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("emostream-schemas-")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("avro-")), jars.toString());
        assertEquals(List.of(), jars.stream().filter(j -> j.startsWith("kafka") || j.startsWith("connect-")
                || j.startsWith("slf4j") || j.startsWith("zstd") || j.startsWith("lz4")).toList(),
                "the worker's own jars stay out");
    }

    @Test
    void everyFieldOfEveryDetectionsRecordReachesTheSinkTask() throws Exception {
        String topic = "detections";
        kafka.createTopic(topic, 2);
        List<FrameDetections> produced = new ArrayList<>();
        Random random = new Random(14);
        for (int sequence = 0; sequence < 24; sequence++) {
            produced.add(frameDetections("cam-" + sequence % 3, sequence, random));
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (FrameDetections frame : produced) {
                producer.send(new ProducerRecord<>(topic, frame.getCameraId(),
                        AvroSerdes.frameDetections().serialize(topic, frame))).get();
            }
        }

        worker.deploy("detections-recorder", recorder(topic, "detections"));

        List<SinkRecord> received = await(RecordingSinkConnector.recording("detections"), produced.size());
        Map<Long, FrameDetections> bySequence = produced.stream()
                .collect(Collectors.toMap(FrameDetections::getSequence, Function.identity()));
        for (SinkRecord record : received) {
            Struct value = (Struct) record.value();
            FrameDetections expected = bySequence.remove(value.getInt64("sequence"));
            assertEquals(expected.getCameraId(), record.key(), "the key, through the string converter");
            assertSameRecord(expected, value, "detections[" + expected.getSequence() + "]");
        }
        assertTrue(bySequence.isEmpty(), "every record arrived once: " + bySequence.keySet());
    }

    @Test
    void garbageBytesLandInTheDeadLetterQueueAndTheSinkCarriesOn() throws Exception {
        String topic = "detections-with-garbage";
        String deadLetters = "detections-sink-dlq";
        kafka.createTopic(topic, 1);
        byte[] garbage = "{\"cameraId\": \"not avro\"}".getBytes(StandardCharsets.UTF_8);
        Random random = new Random(7);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "cam-1", AvroSerdes.frameDetections().serialize(topic,
                    frameDetections("cam-1", 1, random)))).get();
            producer.send(new ProducerRecord<>(topic, "cam-1", garbage)).get();
            producer.send(new ProducerRecord<>(topic, "cam-1", AvroSerdes.frameDetections().serialize(topic,
                    frameDetections("cam-1", 2, random)))).get();
        }
        Map<String, String> config = recorder(topic, "tolerant");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", deadLetters);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");

        worker.deploy("tolerant-recorder", config);

        List<SinkRecord> received = await(RecordingSinkConnector.recording("tolerant"), 2);
        assertEquals(List.of(1L, 2L), received.stream().map(r -> ((Struct) r.value()).getInt64("sequence")).toList(),
                "the records around the garbage");
        ConsumerRecord<byte[], byte[]> dead = readOne(deadLetters);
        assertArrayEquals(garbage, dead.value(), "the original bytes");
        assertEquals("org.apache.kafka.connect.errors.DataException", header(dead, "__connect.errors.exception.class.name"));
        String message = header(dead, "__connect.errors.exception.message");
        assertTrue(message.contains("not Avro single-object encoding") && message.contains(topic), message);
        assertEquals("VALUE_CONVERTER", header(dead, "__connect.errors.stage"));
    }

    private static Map<String, String> recorder(String topic, String recording) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", RecordingSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", CONVERTER);
        config.put(RecordingSinkConnector.RECORDING, recording);
        return config;
    }

    private static List<SinkRecord> await(BlockingQueue<SinkRecord> recording, int count) throws InterruptedException {
        Waits.until(() -> recording.size() >= count, ConnectWorker.TIMEOUT,
                () -> count + " records at the sink, got " + recording.size());
        List<SinkRecord> records = new ArrayList<>(recording);
        assertEquals(count, records.size(), "no more than produced");
        return records;
    }

    /** Compares every field, nested records and lists included, with what the sink task was given. */
    private static void assertSameRecord(IndexedRecord expected, Struct actual, String path) {
        Schema schema = expected.getSchema();
        assertEquals(schema.getFullName(), actual.schema().name(), path);
        assertEquals(schema.getFields().size(), actual.schema().fields().size(), path + ": field count");
        for (Schema.Field field : schema.getFields()) {
            assertSameValue(expected.get(field.pos()), actual.get(field.name()), path + "." + field.name());
        }
    }

    private static void assertSameValue(Object expected, Object actual, String path) {
        if (expected instanceof IndexedRecord record) {
            assertSameRecord(record, (Struct) actual, path);
        } else if (expected instanceof List<?> list) {
            List<?> actualList = (List<?>) actual;
            assertEquals(list.size(), actualList.size(), path + ": size");
            for (int i = 0; i < list.size(); i++) assertSameValue(list.get(i), actualList.get(i), path + "[" + i + "]");
        } else if (expected instanceof Instant instant) {
            assertEquals(Date.from(instant), actual, path);
        } else if (expected instanceof ByteBuffer buffer) {
            assertArrayEquals(buffer.array(), (byte[]) actual, path);
        } else {
            assertEquals(expected, actual, path);
        }
    }

    private static FrameDetections frameDetections(String camera, long sequence, Random random) {
        Instant capture = START.plusMillis(40 * sequence);
        List<Detection> detections = new ArrayList<>();
        for (int i = 0; i < sequence % 4; i++) {
            float x1 = random.nextInt(600);
            float y1 = random.nextInt(440);
            detections.add(new Detection(i, i % 2 == 0 ? "person" : "car", random.nextFloat(),
                    new PixelBox(x1, y1, x1 + 40, y1 + 40),
                    new NormalizedBox(x1 / 640, y1 / 480, (x1 + 40) / 640, (y1 + 40) / 480)));
        }
        return FrameDetections.newBuilder()
                .setCameraId(camera).setSequence(sequence)
                .setCaptureTimestamp(capture).setIngestTimestamp(capture.plusMillis(3))
                .setInferenceTimestamp(capture.plusMillis(25))
                .setFrameWidth(640).setFrameHeight(480)
                .setModel(new ModelInfo("emo-1m-ssdlite", "0.1.0", sequence % 5 == 0, "cpu"))
                .setDetections(detections)
                .setLatencies(new StageLatencies(random.nextFloat(), random.nextFloat(), random.nextFloat(),
                        random.nextFloat(), 1 + random.nextInt(8)))
                .build();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** The one record of {@code topic}, which the worker created when the task started. */
    private static ConsumerRecord<byte[], byte[]> readOne(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + ConnectWorker.TIMEOUT.toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertEquals(1, records.size(), "one dead letter");
            return records.get(0);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
