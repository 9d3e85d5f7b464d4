package io.emostream.cli;

import io.emostream.topology.EmoStreamConfig;
import io.emostream.cli.e2e.TestModels;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo end to end (embedded broker, real ingest of a synthetic video, real models), bounded to a few frames. */
class DemoCommandTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "frames=(\\d+) detections=(\\d+) segmentations=(\\d+) dlq=(\\d+) lost=(\\d+)");

    @Test
    void demoAnswersEveryFrameAndEndsWithTheSummaryLine() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        Map<String, String> models = TestModels.settings();
        int exit = cli.execute("demo", "--frames", "6",
                "-s", EmoStreamConfig.DETECTION_MODEL + "=" + models.get(EmoStreamConfig.DETECTION_MODEL),
                "-s", EmoStreamConfig.SEGMENTATION_MODEL + "=" + models.get(EmoStreamConfig.SEGMENTATION_MODEL));

        List<String> lines = out.toString().lines().toList();
        assertEquals(Main.EXIT_OK, exit, out::toString);
        assertTrue(out.toString().contains("UNTRAINED"), "untrained weights are labelled");
        Matcher summary = SUMMARY.matcher(lines.get(lines.size() - 1));
        assertTrue(summary.matches(), "last line: " + lines.get(lines.size() - 1));
        long frames = Long.parseLong(summary.group(1));
        assertEquals(6, frames, "two cameras, three frames each");
        assertEquals(frames, Long.parseLong(summary.group(2)));
        assertEquals(frames, Long.parseLong(summary.group(3)));
        assertEquals(0, Long.parseLong(summary.group(4)));
        assertEquals(0, Long.parseLong(summary.group(5)));
    }
}
