package io.emostream.schemas.serde;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.kafka.common.errors.SerializationException;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of every emostream deserializer: whatever the bytes, a record comes back or one
 * {@link SerializationException} naming the record type; any other exception, an OutOfMemoryError or a hang fails.
 * The first byte of an input picks the serde, the rest is the record value.
 */
class AvroDeserializersFuzzTest {
    private static final List<AvroSerde<?>> SERDES = List.of(AvroSerdes.videoFrame(), AvroSerdes.frameDetections(),
            AvroSerdes.frameSegmentation(), AvroSerdes.frameTracks(), AvroSerdes.frameAnalytics(),
            AvroSerdes.frameOccupancy(), AvroSerdes.cameraConfig(), AvroSerdes.cameraStats(),
            AvroSerdes.detectedObject(), AvroSerdes.deadLetter(), new TrackerStateSerde(),
            new ZoneAnalyticsStateSerde());

    @FuzzTest(maxDuration = "30s")
    void everyValueReadsOrFailsWithOneSerializationException(byte[] input) {
        if (input.length == 0) return;
        AvroSerde<?> serde = SERDES.get(Math.floorMod(input[0], SERDES.size()));
        try {
            assertNotNull(serde.deserialize("topic", Arrays.copyOfRange(input, 1, input.length)));
        } catch (SerializationException e) {
            assertTrue(e.getMessage().startsWith("cannot read "), e.getMessage());
        }
    }
}
