package io.emostream.cli.e2e;

import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The end-to-end flows on the real embedded KRaft broker, with both processing guarantees. */
class EmbeddedKafkaPipelineTest {
    @RegisterExtension
    static final BrokerWithTestModels kafka = new BrokerWithTestModels();

    @TempDir
    static Path stateDir;

    private PipelineScenarios scenarios() {
        return new PipelineScenarios(kafka.bootstrapServers(), stateDir);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void everyFrameGetsOneDetectionAndOneSegmentationInCameraOrderAndCorruptFramesGoToTheDlq(String guarantee)
            throws Exception {
        scenarios().everyFrameGetsOneDetectionAndOneSegmentationInCameraOrder(guarantee, 6);
    }

    @Test
    void missingTopicsAreAClearErrorWhenCreationIsOff() throws Exception {
        EmoStreamAppConfig config = new EmoStreamAppConfig(Map.of(EmoStreamAppConfig.TOPICS_CREATE, "false",
                EmoStreamConfig.FRAMES_TOPIC, "absent-frames"));
        try (Admin admin = kafka.admin()) {
            ConfigException e = assertThrows(ConfigException.class, () -> TopicProvisioner.ensure(admin, config));
            assertTrue(e.getMessage().contains("absent-frames"), e.getMessage());
            assertTrue(e.getMessage().contains(EmoStreamAppConfig.TOPICS_CREATE), e.getMessage());
            assertFalse(admin.listTopics().names().get().contains("absent-frames"), "nothing was created");
        }
    }

    @Test
    void twoEmoStreamsWithDifferentNamesRunInOneTopologyEachOnItsOwnCamerasModelAndTopics() throws Exception {
        scenarios().twoEmoStreamsWithDifferentNamesShareOneTopology(3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void twoInstancesShareThePartitionsAndTheSurvivorTakesOverWhenOneCloses(String guarantee) throws Exception {
        scenarios().twoInstancesShareThePartitionsAndTheSurvivorTakesOver(guarantee, 9);
    }
}
