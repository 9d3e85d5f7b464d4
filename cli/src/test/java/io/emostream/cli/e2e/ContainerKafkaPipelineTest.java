package io.emostream.cli.e2e;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.nio.file.Path;

/**
 * The same flows against the official Apache Kafka image. Runs where a Docker engine exists and is skipped cleanly
 * where none does; the embedded-broker test is the end-to-end coverage everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaPipelineTest {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.4.0");

    @TempDir
    static Path stateDir;

    private PipelineScenarios scenarios() {
        return new PipelineScenarios(KAFKA.getBootstrapServers(), stateDir);
    }

    @Test
    void everyFrameGetsExactlyOneResultOfEachKindWithExactlyOnceV2() throws Exception {
        scenarios().everyFrameGetsOneDetectionAndOneSegmentationInCameraOrder(StreamsConfig.EXACTLY_ONCE_V2, 6);
    }

    @Test
    void twoInstancesShareThePartitionsAndTheSurvivorTakesOver() throws Exception {
        scenarios().twoInstancesShareThePartitionsAndTheSurvivorTakesOver(StreamsConfig.EXACTLY_ONCE_V2, 9);
    }
}
