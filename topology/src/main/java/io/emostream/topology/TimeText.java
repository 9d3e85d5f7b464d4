package io.emostream.topology;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A time as people write it to the query API and the command line: ISO-8601 with Z or an offset, or epoch
 * milliseconds.
 */
public final class TimeText {
    /** The latest time an epoch-millisecond count can hold. */
    public static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

    private TimeText() { }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong with it, worded to follow the text (e.g. "--from X ...")
     */
    public static Instant parse(String text) {
        Instant time;
        try {
            time = text.matches("\\d{1,19}") ? Instant.ofEpochMilli(Long.parseLong(text))
                    : OffsetDateTime.parse(text).toInstant();
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("is neither an ISO-8601 time with a zone (e.g. 2026-11-30T12:00:00Z "
                    + "or 2026-11-30T13:00:00+01:00) nor epoch milliseconds");
        }
        if (time.isBefore(Instant.EPOCH) || time.isAfter(LATEST)) {
            throw new IllegalArgumentException("is outside 1970-01-01T00:00:00Z .. " + LATEST);
        }
        return time;
    }
}
