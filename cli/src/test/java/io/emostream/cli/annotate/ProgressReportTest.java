package io.emostream.cli.annotate;

import io.emostream.topology.ResultReader;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressReportTest {
    @Test
    void onATerminalABarIsRedrawnInPlaceAndEndsAtAHundredPercentOnALineOfItsOwn() {
        StringWriter err = new StringWriter();
        ProgressReport report = new ProgressReport(new PrintWriter(err), true);
        AtomicInteger frames = new AtomicInteger();
        ResultReader.Progress progress = report.reading("annotating cam", frames::get);
        progress.read(0, 40);
        frames.set(40);
        progress.read(40, 40);
        report.finish();

        String text = err.toString();
        assertTrue(text.startsWith("\rannotating cam [------------------------------]   0% 0 frames"), text);
        assertTrue(text.endsWith("\rannotating cam [##############################] 100% 40 frames\n"), text);
    }

    @Test
    void offATerminalItPrintsAPlainLineEveryHundredFrames() {
        StringWriter err = new StringWriter();
        ProgressReport report = new ProgressReport(new PrintWriter(err), false);
        AtomicInteger frames = new AtomicInteger();
        ResultReader.Progress progress = report.reading("annotating cam", frames::get);
        for (int i = 1; i <= 250; i++) {
            frames.set(i);
            progress.read(i, 250);
        }
        report.finish();

        assertEquals(List.of("annotating cam: 100 frames", "annotating cam: 200 frames"),
                err.toString().lines().toList());
    }
}
