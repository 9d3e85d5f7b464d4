package io.emostream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code emostream bench} through the real command line on tiny settings: the real model, ONNX Runtime session,
 * batcher, embedded broker and Kafka Streams application. Checks the shape of the output, never the timings.
 */
class BenchCommandTest {
    private static final String[] TINY = {"--frames", "2", "--warmup", "1", "--provider", "cpu",
            "--frame-size", "96x64"};

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) { }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String[] args(String scenario, Path json, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of("bench", scenario, "--json", json.toString()));
        all.addAll(List.of(TINY));
        if (!List.of(more).contains("--settle")) {
            all.addAll(List.of("--settle", "0"));
        }
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void allRunsEveryScenarioAndWritesTheirFiguresAndTheRatio() throws Exception {
        Path file = dir.resolve("all.json");
        Run all = run(args("all", file, "--repeats", "2", "--batch-sizes", "1,2", "--threads", "2",
                "--partitions", "2", "--stream-threads", "2", "--settle", "1"));
        assertEquals(0, all.exit(), all.err());
        assertTrue(all.err().lines().anyMatch(l -> l.matches("settled after [1-9][0-9]* frames")), all.err());
        assertTrue(all.out().contains("after 1 s of unmeasured settling"), all.out());

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals("all", json.get("scenario").asText());
        assertEquals(1, json.get("settings").get("settleSeconds").asInt());
        assertEquals("emo-1m-ssdlite", json.get("model").get("name").asText());
        assertEquals("cpu", json.get("provider").asText());
        assertTrue(json.get("machine").has("loadAverageBefore"));

        JsonNode session = json.get("session");
        assertTrue(session.size() >= 2, "one row per batch size, plus any the summary needed: " + session);
        for (JsonNode row : session) {
            assertPositive(row, "batch", "fps", "msPerBatch", "framesMeasured");
            assertTrue(row.has("load"));
        }

        JsonNode runtime = json.get("runtime");
        assertEquals(1, runtime.size());
        assertEquals(2, runtime.get(0).get("threads").asInt());
        assertPositive(runtime.get(0), "fps", "batches");
        assertPositive(runtime.get(0).get("latency"), "p50Ms", "p95Ms", "p99Ms", "count");
        assertPositive(runtime.get(0).get("stages"), "inferenceMs", "meanBatch", "modeBatch");

        JsonNode pipeline = json.get("pipeline");
        assertEquals(1, pipeline.size());
        JsonNode row = pipeline.get(0);
        assertEquals(2, row.get("partitions").asInt());
        assertEquals(2, row.get("streamThreads").asInt());
        assertPositive(row, "fps", "latencyRateFps", "peakRssMiB");
        assertEquals(2, row.get("latency").get("count").asInt(), "one latency per frame of the paced phase");
        assertPositive(row.get("stages"), "inferenceMs", "meanBatch", "modeBatch");

        JsonNode summary = json.get("summary");
        assertPositive(summary, "pipelineVsSession", "runtimeVsSession", "pipelineBatch", "sessionFpsAtPipelineBatch");
        double ratio = summary.get("pipelineVsSession").asDouble();
        JsonNode byRound = summary.get("pipelineVsSessionByRound");
        assertEquals(2, byRound.size(), "one ratio per round");
        assertEquals((byRound.get(0).asDouble() + byRound.get(1).asDouble()) / 2, ratio, 1e-9,
                "the median of two rounds' ratios");
        assertTrue(all.out().lines().anyMatch(l -> l.equals(String.format(java.util.Locale.ROOT,
                "pipeline_vs_session=%.3f", ratio))), all.out());
        assertTrue(all.out().contains("UNTRAINED"), "the report says the weights are untrained");
    }

    @Test
    void sessionAloneMeasuresOnlyTheSession() throws Exception {
        Path file = dir.resolve("session.json");
        Run session = run(args("session", file, "--repeats", "1", "--batch-sizes", "1,4", "--batch-concurrency",
                "3"));
        assertEquals(0, session.exit(), session.err());
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals(List.of(1, 4), List.of(json.get("session").get(0).get("batch").asInt(),
                json.get("session").get(1).get("batch").asInt()));
        assertEquals(4, json.get("session").get(1).get("framesMeasured").asInt(), "a whole batch of 4 for 2 frames");
        assertEquals(1, json.get("settings").get("rounds").asInt());
        assertEquals(3, json.get("settings").get("batchConcurrency").asInt(), "calls at once, as the batcher's");
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 3),
                json.get("settings").get("intraOpThreads").asInt(), "the cores shared out among the calls");
        assertTrue(session.out().contains("x 3 batches in flight (auto)"), session.out());
        assertEquals(0, json.get("runtime").size());
        assertEquals(0, json.get("pipeline").size());
        assertTrue(!json.has("summary"));
        assertTrue(!session.out().contains("pipeline_vs_session"));
    }

    @Test
    void pipelineWithAndWithoutTheAnalyticsGivesTheShareOfTheTimeTheyTake() throws Exception {
        Path file = dir.resolve("analytics.json");
        Run pipeline = run(args("pipeline", file, "--repeats", "1", "--partitions", "1", "--stream-threads", "1",
                "--analytics", "true,false"));
        assertEquals(0, pipeline.exit(), pipeline.err());

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        JsonNode rows = json.get("pipeline");
        assertEquals(2, rows.size(), "one row with the analytics, one without: " + rows);
        assertTrue(rows.get(0).get("analytics").asBoolean());
        assertTrue(!rows.get(1).get("analytics").asBoolean());
        assertPositive(rows.get(0), "fps", "cpuMsPerFrame");
        assertPositive(rows.get(1), "fps", "cpuMsPerFrame");
        JsonNode shares = json.get("analyticsShare");
        assertEquals(1, shares.size(), "one share per partitions x stream threads: " + shares);
        assertEquals(1 - rows.get(0).get("fps").asDouble() / rows.get(1).get("fps").asDouble(),
                shares.get(0).get("share").asDouble(), 1e-9, "one round: the share of that round");
        assertEquals(1 - rows.get(1).get("cpuMsPerFrame").asDouble() / rows.get(0).get("cpuMsPerFrame").asDouble(),
                shares.get(0).get("cpuShare").asDouble(), 1e-9, "by CPU time per frame, the same round");
        assertTrue(pipeline.out().contains("analytics: their share of the pipeline's time per frame"), pipeline.out());
    }

    @Test
    void pipelineRunsASecondInstanceInAChildProcessWithBothModels() throws Exception {
        JsonNode row = onlyPipelineRow("--partitions", "2", "--stream-threads", "1", "--instances", "2",
                "--segmentation", "true");
        assertEquals("emo-1m-ssdlite+emo-1m-deeplabv3", row.get("models").asText());
        assertEquals(2, row.get("instances").asInt());
        assertPositive(row, "fps", "cpuMsPerFrame");
        assertEquals(2, row.get("latency").get("count").asInt(), "each paced frame answered by both models");
    }

    @Test
    void aStandInModelShowsThatABatchNeverHoldsMoreFramesThanStreamThreads() throws Exception {
        JsonNode row = onlyPipelineRow("--partitions", "4", "--stream-threads", "2", "--stand-in", "20,1",
                "--max-batch", "8");
        assertTrue(row.get("models").asText().startsWith("stand-in 20.00 ms + 1.00 ms/frame"), row.toString());
        assertEquals("stand-in", row.get("provider").asText());
        double meanBatch = row.get("stages").get("meanBatch").asDouble();
        // each stream thread waits for its frame's result: two threads, at most two frames in a batch of up to 8
        assertTrue(meanBatch >= 1 && meanBatch <= 2, "mean batch " + meanBatch);
        assertTrue(row.get("stages").get("modeBatch").asInt() <= 2, row.toString());
    }

    @Test
    void soakPrintsARowPerSampleAndEndsWithItsVerdict() throws Exception {
        Path file = dir.resolve("soak.json");
        // "minutes" of 2 s: the rows and the verdict's form, not the verdict, which depends on the machine's load
        Run soak = run("bench", "soak", "--minutes", "3", "--warmup-minutes", "1", "--sample-seconds", "2",
                "--fps", "3", "--cameras", "1", "--stream-threads", "1", "--provider", "cpu", "--frame-size", "96x64",
                "--json", file.toString());
        assertEquals(0, soak.exit(), soak.err());

        List<String> lines = soak.out().strip().lines().toList();
        assertTrue(lines.get(0).contains("UNTRAINED"), "the header says the weights are untrained: " + lines.get(0));
        int header = lines.indexOf(lines.stream().filter(l -> l.strip().startsWith("sample")).findFirst()
                .orElseThrow(() -> new AssertionError("no table header: " + soak.out())));
        for (int sample = 1; sample <= 3; sample++) {
            assertTrue(lines.get(header + sample).strip().startsWith(sample + " "), "row " + sample + ": "
                    + soak.out());
        }
        String verdict = lines.get(lines.size() - 1);
        Matcher m = Pattern.compile("verdict=(PASS|FAIL) rss_growth=[+-]\\d+\\.\\d% "
                + "p95_drift=[+-]\\d+\\.\\d% frames=(\\d+) answered=(\\d+) dlq=0 lost=0").matcher(verdict);
        assertTrue(m.matches(), "the last line is the verdict: " + verdict);
        assertTrue(Integer.parseInt(m.group(2)) > 0, "frames were sent: " + verdict);
        assertEquals(m.group(2), m.group(3), "every frame sent was answered by both models: " + verdict);

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals("emo-1m-ssdlite+emo-1m-deeplabv3", json.get("models").asText());
        assertEquals(3, json.get("samples").size());
        for (JsonNode sample : json.get("samples")) {
            assertPositive(sample, "rssMiB", "heapUsedMiB", "heapCommittedMiB");
        }
        assertEquals(m.group(1).equals("PASS"), json.get("verdict").get("pass").asBoolean());
    }

    @Test
    void failoverKillsTheChildInstanceAndEveryFrameGetsExactlyOneResult() {
        // the broker's shortest session, so the test waits less for the group; the pause's length is not checked
        Run failover = run("bench", "failover", "--kill-after", "3", "--fps", "4", "--cameras", "2", "--provider",
                "cpu", "--frame-size", "96x64", "--app-config", "session.timeout.ms=6000", "--app-config",
                "heartbeat.interval.ms=2000");
        assertEquals(0, failover.exit(), failover.err());

        List<String> lines = failover.out().strip().lines().toList();
        assertTrue(lines.get(0).contains("UNTRAINED"), "the header says the weights are untrained: " + lines.get(0));
        assertTrue(lines.get(0).contains("exactly_once_v2"), lines.get(0));
        for (String camera : List.of("cam-0", "cam-1")) {
            assertTrue(lines.stream().anyMatch(l -> l.strip().matches(camera + " +\\d+")),
                    "a pause for " + camera + ": " + failover.out());
        }
        Matcher m = Pattern.compile("failover pause_ms=\\d+ max_latency_ms=\\d+ frames=(\\d+) answered=(\\d+) "
                + "lost=0 duplicated=0").matcher(lines.get(lines.size() - 1));
        assertTrue(m.matches(), "the last line: " + failover.out());
        assertEquals(m.group(1), m.group(2), "one result per frame sent: " + lines.get(lines.size() - 1));
    }

    @Test
    void badSettingsAreUsageErrorsWithOneLine() {
        Run scenario = run("bench", "everything");
        assertEquals(2, scenario.exit());
        assertTrue(scenario.err().contains("unknown scenario 'everything'"), scenario.err());
        Run size = run("bench", "session", "--frame-size", "big");
        assertEquals(2, size.exit());
        assertTrue(size.err().contains("--frame-size must be WIDTHxHEIGHT"), size.err());
        Run threads = run("bench", "runtime", "--threads", "0");
        assertEquals(2, threads.exit());
        assertTrue(threads.err().contains("--threads values must be 1..256"), threads.err());
        Run settle = run("bench", "pipeline", "--settle", "-1");
        assertEquals(2, settle.exit());
        assertTrue(settle.err().contains("--settle must be 0..3600 seconds"), settle.err());
        Run analytics = run("bench", "pipeline", "--analytics", "false", "--app-config", "analytics.enabled=false");
        assertEquals(2, analytics.exit());
        assertTrue(analytics.err().contains("--analytics and --app-config analytics.enabled both say"),
                analytics.err());
        Run soak = run("bench", "soak", "--minutes", "2");
        assertEquals(2, soak.exit());
        Run failover = run("bench", "failover", "--cameras", "1");
        assertEquals(2, failover.exit());
        assertTrue(failover.err().contains("--cameras must be 2..1000"), failover.err());
        assertTrue(soak.err().contains("--minutes must be 3 or more"), soak.err());
        Run none = run("bench");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("missing scenario"), none.err());
        Run model = run("bench", "session", "--model", dir.resolve("missing.onnx").toString());
        assertEquals(2, model.exit());
        assertTrue(model.err().contains("no model file or built-in model"), model.err());
        assertEquals(1, model.err().strip().lines().count(), model.err());
    }

    /** One round of one pipeline configuration without the analytics: its row. */
    private JsonNode onlyPipelineRow(String... options) throws Exception {
        Path file = dir.resolve("pipeline.json");
        List<String> all = new java.util.ArrayList<>(List.of("--repeats", "1", "--analytics", "false"));
        all.addAll(List.of(options));
        Run pipeline = run(args("pipeline", file, all.toArray(String[]::new)));
        assertEquals(0, pipeline.exit(), pipeline.err());
        JsonNode rows = new ObjectMapper().readTree(file.toFile()).get("pipeline");
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    private static void assertPositive(JsonNode node, String... keys) {
        for (String key : keys) {
            assertTrue(node.has(key), "missing " + key + " in " + node);
            assertTrue(node.get(key).asDouble() > 0, key + " must be positive in " + node);
        }
    }
}
