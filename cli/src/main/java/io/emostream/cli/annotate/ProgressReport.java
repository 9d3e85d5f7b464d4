package io.emostream.cli.annotate;

import io.emostream.topology.ResultReader;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * How far {@code annotate} has read, on stderr: on a terminal a bar redrawn in place (at most ten times a second);
 * elsewhere (a log, a pipe) a plain line every {@value #PLAIN_EVERY} frames written, so that a log stays short.
 * The launcher says whether stderr is a terminal (system property {@value #TERMINAL_PROPERTY}); the JVM cannot tell.
 */
public final class ProgressReport {
    public static final String TERMINAL_PROPERTY = "emostream.stderr.terminal";
    private static final int BAR_WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int PLAIN_EVERY = 100;

    private final PrintWriter err;
    private final boolean terminal;
    private String stage = "";
    private long lastDraw;
    private int framesReported;

    public ProgressReport(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** On a terminal when the launcher found stderr to be one. */
    public static ProgressReport forStderr(PrintWriter err) {
        return new ProgressReport(err, Boolean.getBoolean(TERMINAL_PROPERTY));
    }

    /** The progress of one read, shown as {@code stage}, with the frames written so far (null: none to show). */
    ResultReader.Progress reading(String stage, IntSupplier framesWritten) {
        this.stage = stage;
        return (done, total) -> show(done, total, framesWritten == null ? -1 : framesWritten.getAsInt());
    }

    private void show(long done, long total, int frames) {
        if (terminal) {
            long now = System.nanoTime();
            if (done < total && now - lastDraw < REDRAW_NANOS) return;
            lastDraw = now;
            double fraction = total == 0 ? 1 : (double) done / total;
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            err.printf(Locale.ROOT, "\r%s [%s%s] %3.0f%%%s", stage, "#".repeat(filled),
                    "-".repeat(BAR_WIDTH - filled), 100 * fraction, frames < 0 ? "" : " " + frames + " frames");
            err.flush();
        } else if (frames >= framesReported + PLAIN_EVERY) {
            framesReported = frames - frames % PLAIN_EVERY;
            err.println(stage + ": " + framesReported + " frames");
            err.flush();
        }
    }

    /** Ends the bar's line, so that what follows starts on a line of its own. */
    void finish() {
        if (terminal && lastDraw != 0) {
            err.println();
            err.flush();
        }
        lastDraw = 0;
    }
}
