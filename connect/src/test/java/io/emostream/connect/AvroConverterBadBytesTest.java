package io.emostream.connect;

import io.emostream.schemas.serde.AvroSerdeConfig;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.schemas.serde.TestRecords;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bytes that are not an emostream record raise Connect's DataException, which the worker's errors.tolerance and
 * dead-letter queue handle, with a message that names the problem.
 */
class AvroConverterBadBytesTest {
    static Stream<Arguments> badValues() {
        byte[] record = AvroSerdes.frameDetections().serialize("detections", TestRecords.frameDetections());
        byte[] unknownFingerprint = record.clone();
        unknownFingerprint[5] ^= 0x55;
        return Stream.of(
                arguments("text", "{\"cameraId\":\"cam-1\"}".getBytes(StandardCharsets.UTF_8), "not Avro single-object encoding"),
                arguments("empty", new byte[0], "empty value"),
                arguments("truncated", Arrays.copyOf(record, record.length / 2), "truncated"),
                arguments("trailing garbage", Arrays.copyOf(record, record.length + 3), "left over"),
                arguments("unknown fingerprint", unknownFingerprint, "unknown schema fingerprint"),
                arguments("registry format, no registry", new byte[]{0, 0, 0, 0, 7, 2, 4}, AvroSerdeConfig.SCHEMA_REGISTRY_URL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badBytesRaiseADataExceptionNamingTheProblem(String what, byte[] bytes, String named) {
        AvroConverter converter = new AvroConverter();
        converter.configure(Map.of(), false);

        DataException e = assertThrows(DataException.class, () -> converter.toConnectData("detections", bytes));

        assertTrue(e.getMessage().contains(named) && e.getMessage().contains("detections"), e.getMessage());
    }
}
