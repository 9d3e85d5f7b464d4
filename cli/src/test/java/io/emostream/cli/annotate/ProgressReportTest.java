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
    private final StringWriter err = new StringWriter();
    private final AtomicInteger frames = new AtomicInteger();
    private ProgressReport report;

    /** The progress of reading "annotating cam", reported to {@code err}, with {@code frames} the frames written. */
    private ResultReader.Progress reading(boolean terminal) {
        report = new ProgressReport(new PrintWriter(err), terminal);
        return report.reading("annotating cam", frames::get);
    }

    @Test
    void onATerminalABarIsRedrawnInPlaceAndEndsAtAHundredPercentOnALineOfItsOwn() {
        ResultReader.Progress progress = reading(true);
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
        ResultReader.Progress progress = reading(false);
        for (int i = 1; i <= 250; i++) {
            frames.set(i);
            progress.read(i, 250);
        }
        report.finish();

        assertEquals(List.of("annotating cam: 100 frames", "annotating cam: 200 frames"),
                err.toString().lines().toList());
    }
}
