package io.emostream.bench;

import io.emostream.models.card.ModelCard;
import io.emostream.models.runtime.RuntimeConfig;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class BenchReportTest {
    @TempDir
    Path dir;

    @Test
    void theJsonReportHidesSecretApplicationSettingsAndKeepsTheOthers() throws Exception {
        Map<String, String> appConfig = new LinkedHashMap<>();
        appConfig.put("num.stream.threads", "2");
        appConfig.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"bench\" password=\"do-not-print\";");
        appConfig.put("ssl.truststore.password", "do-not-print");
        ModelCard card = new ModelCard("m", "1", "test", ModelCard.Task.DETECTION, 0, null, List.of(), null, null,
                List.of(), ModelCard.WeightsProvenance.seeded(1));
        BenchReport report = new BenchReport(Bench.Scenario.SESSION, new BenchModel("m", dir.resolve("m.onnx"), card),
                new BenchSettings("m", 1, 0, 1, RuntimeConfig.builder().build(), 64, 64), "cpu", appConfig, 0, 0, 0,
                List.of(), List.of(), List.of(), List.of(), null);

        Path json = dir.resolve("report.json");
        report.writeJson(json);

        String written = Files.readString(json);
        assertFalse(written.contains("do-not-print"), written);
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) ((Map<String, Object>) report.json().get("settings"))
                .get("appConfig");
        assertEquals(Map.of("num.stream.threads", "2", "sasl.jaas.config", Password.HIDDEN,
                "ssl.truststore.password", Password.HIDDEN), shown);
    }
}
