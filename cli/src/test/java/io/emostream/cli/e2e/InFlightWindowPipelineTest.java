package io.emostream.cli.e2e;

import io.emostream.topology.EmoStreamConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

/**
 * The delivery flows of {@link EmbeddedKafkaPipelineTest} with four frames in flight per task: the real EMO models
 * answer from their batchers' threads while the stream thread reads on, and every frame in flight is answered before
 * each commit and each hand-over of its partition.
 */
class InFlightWindowPipelineTest {
    @RegisterExtension
    static final BrokerWithTestModels kafka = new BrokerWithTestModels();

    @TempDir
    static Path stateDir;

    private PipelineScenarios scenarios() {
        return new PipelineScenarios(kafka.bootstrapServers(), stateDir,
                Map.of(EmoStreamConfig.FRAME_INFLIGHT_MAX, "4"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void everyFrameGetsOneResultOfEachKindInCameraOrderAndCorruptFramesBetweenGoodOnesFailAlone(String guarantee)
            throws Exception {
        scenarios().everyFrameGetsOneDetectionAndOneSegmentationInCameraOrder(guarantee, 6);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void anInstanceClosedMidStreamLosesNoFrameItHadInFlight(String guarantee) throws Exception {
        scenarios().twoInstancesShareThePartitionsAndTheSurvivorTakesOver(guarantee, 9);
    }
}
