package io.emostream.topology;

import io.emostream.models.runtime.BatcherMetrics;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.image.ImageLimits;
import io.emostream.models.segmentation.SegmentationResult;
import io.emostream.processors.ProcessingSettings;
import io.emostream.topology.ops.ModelMetrics;
import io.emostream.topology.ops.Telemetry;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Named;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The processor, model and process meters under the names the README documents, read from the Prometheus text the
 * way a scrape reads them.
 */
class OperationsMetricsTest {
    private final Telemetry telemetry = Telemetry.start();

    @AfterEach
    void close() {
        telemetry.close();
    }

    @Test
    void processorMetersCountEveryFrameByWhatBecameOfIt() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        ProcessingSettings settings = new ProcessingSettings(ImageLimits.DEFAULT, 1_000, 60_000, 1_000_000);
        StreamsBuilder builder = new StreamsBuilder();
        EmoStreams.withPredictors(FakePredictor.detector(), FakePredictor.segmenter(), settings, telemetry.registry())
                .process(builder, "frames", Named.as("lobby")).to(new Topics("frames", "d", "s", "dlq"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, now)) {
            TestInputTopic<byte[], byte[]> frames = driver.createInputTopic("frames", new ByteArraySerializer(),
                    new ByteArraySerializer());
            byte[] jpeg = TestFrames.jpeg(64, 48);
            byte[] key = "cam-1".getBytes(StandardCharsets.UTF_8);
            for (int seq = 0; seq < 3; seq++) {
                frames.pipeInput(key, TestFrames.bytes(TestFrames.frame("cam-1", seq, now.toEpochMilli() - 40, 64,
                        48, jpeg)));
            }
            frames.pipeInput(key, "not a frame".getBytes(StandardCharsets.UTF_8));
            frames.pipeInput(key, TestFrames.bytes(TestFrames.frame("cam-1", 3, now.toEpochMilli() - 5_000, 64, 48,
                    jpeg)));
            frames.pipeInput(key, TestFrames.bytes(TestFrames.frame("cam-1", 4, now.toEpochMilli(), 64, 48,
                    new byte[]{1, 2, 3})));
        }

        String text = telemetry.scrape();
        assertSample(text, "emostream_frames_processed_total{pipeline=\"lobby\"", "}", 6);
        assertSample(text, "emostream_frames_skipped_too_old_total{pipeline=\"lobby\"", "}", 1);
        assertSample(text, "emostream_dead_letters_total{pipeline=\"lobby\"",
                ",reason=\"NOT_A_FRAME\",stage=\"deserialize\"}", 1);
        assertSample(text, "emostream_dead_letters_total{pipeline=\"lobby\"",
                ",reason=\"ENCODING_MISMATCH\",stage=\"decode\"}", 1);
        for (String task : List.of("detection", "segmentation")) {
            String tags = "{pipeline=\"lobby\",task=\"" + task + "\"";
            assertSample(text, "emostream_results_total" + tags, "}", 3);
            assertSample(text, "emostream_frame_latency_seconds_count" + tags, "}", 3);
            assertSample(text, "emostream_frame_latency_seconds_bucket" + tags, ",le=\"+Inf\"}", 3);
        }
    }

    @Test
    void modelMetersReadTheBatcherCountersAtEachScrape() {
        FakePredictor<DetectionResult> detector = FakePredictor.detector();
        // 7 requests in 4 batches: sizes 1, 2, 2 and 2 of at most 3; 2 failed, one timed out, one was NaN
        detector.reportMetrics(new BatcherMetrics(7, 2, 1, 1, 4, new long[]{0, 1, 3, 0}, 5, 70, 20, 400, 150));
        new ModelMetrics(List.of(detector)).bindTo(telemetry.registry());

        assertSamples(telemetry.scrape(), """
                emostream_model_requests_total{model="fake-ssd",provider="cpu",task="detection"} 7
                emostream_model_failures_total{model="fake-ssd",provider="cpu",task="detection"} 2
                emostream_model_timeouts_total{model="fake-ssd",provider="cpu",task="detection"} 1
                emostream_model_non_finite_total{model="fake-ssd",provider="cpu",task="detection"} 1
                emostream_model_batches_total{model="fake-ssd",provider="cpu",size="1",task="detection"} 1
                emostream_model_batches_total{model="fake-ssd",provider="cpu",size="2",task="detection"} 3
                emostream_model_batches_total{model="fake-ssd",provider="cpu",size="3",task="detection"} 0
                emostream_model_requests_in_flight{model="fake-ssd",provider="cpu",task="detection"} 5
                emostream_model_queue_wait_seconds_count{model="fake-ssd",provider="cpu",task="detection"} 7
                emostream_model_queue_wait_seconds_sum{model="fake-ssd",provider="cpu",task="detection"} 0.07
                emostream_model_session_seconds_sum{model="fake-ssd",provider="cpu",task="detection"} 0.4
                emostream_model_session_max_seconds{model="fake-ssd",provider="cpu",task="detection"} 0.15
                """);

        detector.reportMetrics(new BatcherMetrics(9, 2, 1, 1, 5, new long[]{0, 1, 3, 1}, 0, 80, 20, 500, 150));
        assertSamples(telemetry.scrape(), """
                emostream_model_requests_total{model="fake-ssd",provider="cpu",task="detection"} 9
                emostream_model_batches_total{model="fake-ssd",provider="cpu",size="3",task="detection"} 1
                """);
    }

    @Test
    void theJvmAndTheProcessReportHeapDirectAndResidentMemory() {
        String text = telemetry.scrape();
        for (String name : List.of("jvm_memory_used_bytes{area=\"heap\"", "jvm_buffer_memory_used_bytes{id=\"direct\"}",
                "process_resident_memory_bytes ", "process_virtual_memory_bytes ", "emostream_javacpp_allocated_bytes ",
                "jvm_gc_memory_allocated_bytes_total ", "process_cpu_usage ", "jvm_threads_live_threads ")) {
            assertTrue(text.contains("\n" + name), () -> name + " missing from\n" + text);
        }
        double resident = sample(text, "process_resident_memory_bytes ");
        long heapUsed = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(resident > heapUsed, "resident " + resident + " bytes, heap in use " + heapUsed);
    }

    private static void assertSample(String text, String prefix, String suffix, double expected) {
        assertEquals(expected, sample(text, prefix + suffix + " "), 1e-9, prefix + suffix);
    }

    /** Each line of {@code expected}, a series and its value as the Prometheus text writes them, is in the scrape. */
    private static void assertSamples(String text, String expected) {
        expected.lines().forEach(line -> {
            int space = line.lastIndexOf(' ');
            assertEquals(Double.parseDouble(line.substring(space + 1)), sample(text, line.substring(0, space + 1)),
                    1e-9, line);
        });
    }

    /** The value of the one sample whose line starts with {@code series} (name, labels and a space). */
    static double sample(String text, String series) {
        List<String> lines = text.lines().filter(l -> l.startsWith(series)).toList();
        assertEquals(1, lines.size(), () -> "samples of " + series + " in\n" + text);
        return Double.parseDouble(lines.get(0).substring(series.length()).trim().split(" ")[0]);
    }
}
