package io.emostream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code emostream models build|describe} through the real command line. */
class ModelsCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) { }

    private Run run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void buildWritesModelAndCardAndDescribeJsonReportsThem() throws Exception {
        Run build = run("models", "build", "--arch", "emo-1m", "--task", "detection", "--out", dir.toString());
        assertEquals(0, build.exit(), build.err());
        Path onnx = dir.resolve("emo-1m-ssdlite.onnx");
        assertTrue(Files.isRegularFile(onnx));
        assertTrue(Files.isRegularFile(dir.resolve("emo-1m-ssdlite.card.json")));

        Run describe = run("models", "describe", onnx.toString(), "--json");
        assertEquals(0, describe.exit(), describe.err());
        JsonNode json = new ObjectMapper().readTree(describe.out());
        assertEquals("emo-1m-ssdlite", json.get("name").asText());
        assertEquals("detection", json.get("task").asText());
        assertEquals(2_311_980L, json.get("parameters").asLong());
        assertEquals("input", json.get("inputs").get(0).get("name").asText());
        assertEquals("N", json.get("inputs").get(0).get("shape").get(0).asText());
        assertEquals("3234", json.get("outputs").get(0).get("shape").get(1).asText());
    }

    @Test
    void headOptionBuildsPspNetAndRetinaNetWithTheirCards() throws Exception {
        Run psp = run("models", "build", "--arch", "emo-1m", "--task", "segmentation", "--head", "pspnet",
                "--out", dir.toString());
        assertEquals(0, psp.exit(), psp.err());
        assertTrue(psp.out().contains("EMO-1M backbone + PSPNet head (150 classes), input 512")
                && psp.out().contains("4,151,342 parameters"), psp.out());
        Run retina = run("models", "build", "--arch", "emo-1m", "--task", "detection", "--head", "retinanet",
                "--input-size", "128", "--out", dir.toString());
        assertEquals(0, retina.exit(), retina.err());
        assertTrue(retina.out().contains("10,479,244 parameters"), retina.out());
        JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("emo-1m-retinanet-s128.card.json")));
        assertEquals("RETINANET_RAW", json.get("detection").get("format").asText());
        assertEquals(-1, json.get("detection").get("backgroundIndex").asInt());
        assertEquals(4.0, json.get("detection").get("anchorGrid").get("octaveBaseScale").asDouble());
    }

    @Test
    void describeBuildsABuiltInNameIntoTheCacheOnce() throws Exception {
        Path cache = dir.resolve("cache");
        Run first = run("models", "describe", "emo-1m", "--cache-dir", cache.toString());
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("1,361,168 parameters"), first.out());
        Path onnx = cache.resolve("emo-1m.onnx");
        long built = Files.getLastModifiedTime(onnx).toMillis();
        Run second = run("models", "describe", "emo-1m", "--cache-dir", cache.toString());
        assertEquals(0, second.exit(), second.err());
        assertEquals(built, Files.getLastModifiedTime(onnx).toMillis());
    }

    @Test
    void describeOfAModelWithoutCardPrintsItsInputsAndOutputs() throws Exception {
        assertEquals(0, run("models", "build", "--arch", "emo-1m", "--task", "classification", "--classes", "0",
                "--out", dir.toString()).exit());
        Path foreign = dir.resolve("other.onnx");
        Files.copy(dir.resolve("emo-1m-backbone.onnx"), foreign);
        Run describe = run("models", "describe", foreign.toString());
        assertEquals(0, describe.exit(), describe.err());
        assertTrue(describe.out().contains("no model card"), describe.out());
        assertTrue(describe.out().contains("output features float [N, 168, 7, 7]"), describe.out());
    }

    @Test
    void badInputGivesOneClearLineAndExitCode2() throws Exception {
        Path corrupt = Files.writeString(dir.resolve("corrupt.onnx"), "this is not a protobuf at all \u0001\u00ff");
        String[][] cases = {
                {"models", "describe", dir.resolve("missing.onnx").toString()},
                {"models", "describe", corrupt.toString()},
                {"models", "build", "--arch", "emo-9m", "--task", "detection", "--out", dir.toString()},
                {"models", "build", "--arch", "emo-1m", "--task", "detection", "--window", "0", "--out",
                        dir.toString()},
                {"models", "build", "--arch", "emo-1m", "--task", "tracking", "--out", dir.toString()},
                {"models", "build", "--arch", "emo-1m", "--task", "segmentation", "--head", "retinanet", "--out",
                        dir.toString()},
                {"models", "build", "--arch", "emo-1m", "--task", "detection", "--head", "yolo", "--out",
                        dir.toString()},
        };
        for (String[] args : cases) {
            Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        assertTrue(run(cases[2]).err().contains("emo-1m, emo-2m, emo-5m, emo-6m"));
        assertTrue(run(cases[3]).err().contains("window size must be at least 1"));
        assertTrue(run(cases[5]).err().contains("head 'retinanet' is for detection, not segmentation"));
        assertTrue(run(cases[6]).err().contains("ssdlite, retinanet, deeplabv3, pspnet"), run(cases[6]).err());
    }
}
