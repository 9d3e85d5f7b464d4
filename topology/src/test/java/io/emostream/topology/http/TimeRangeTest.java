package io.emostream.topology.http;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeRangeTest {
    @Test
    void timesAreIsoWithAZoneOrEpochMilliseconds() {
        TimeRange range = TimeRange.parse("from=2026-11-30T13:00:00+01:00&to=1796040000000");
        assertEquals(Instant.parse("2026-11-30T12:00:00Z"), range.from(), "an unencoded + is an offset");
        assertEquals(Instant.ofEpochMilli(1796040000000L), range.to());
        assertEquals(Instant.parse("2026-11-30T12:00:00Z"),
                TimeRange.parse("from=2026-11-30T13%3A00%3A00%2B01%3A00").from());
    }

    @Test
    void missingBoundsCoverEverything() {
        TimeRange range = TimeRange.parse(null);
        assertEquals(Instant.EPOCH, range.from());
        assertEquals(Instant.ofEpochMilli(Long.MAX_VALUE), range.to());
        assertFalse(range.fromGiven() || range.toGiven());
        assertTrue(TimeRange.parse("to=5").toGiven());
    }

    @Test
    void badParametersAre400sSayingWhatToFix() {
        assertBad("from=yesterday", "from=yesterday is neither an ISO-8601 time");
        assertBad("to=2026-11-30T12:00:00", "to=2026-11-30T12:00:00 is neither");
        assertBad("from=99999999999999999999", "from=99999999999999999999 is neither");
        assertBad("from=2000&to=1000", "swap them");
        assertBad("since=5", "unknown query parameter 'since'");
        assertBad("from=1&from=2", "given twice");
        assertBad("from=%zz", "malformed percent-encoding");
    }

    private static void assertBad(String query, String expected) {
        ApiException e = assertThrows(ApiException.class, () -> TimeRange.parse(query));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
