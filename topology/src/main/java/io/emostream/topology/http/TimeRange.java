package io.emostream.topology.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code from} and {@code to} query parameters of the stats endpoint: ISO-8601 times (with Z or an offset) or
 * epoch milliseconds, both optional (all retained windows).
 */
record TimeRange(Instant from, Instant to, boolean fromGiven, boolean toGiven) {
    private static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

    /** Parses a raw (still URL-encoded) query string; anything wrong is a 400 saying what to fix. */
    static TimeRange parse(String rawQuery) {
        Map<String, String> params = params(rawQuery);
        for (String name : params.keySet()) {
            if (!name.equals("from") && !name.equals("to")) {
                throw new ApiException(400, "unknown query parameter '" + name + "': use from and to");
            }
        }
        String from = params.get("from");
        String to = params.get("to");
        TimeRange range = new TimeRange(from == null ? Instant.EPOCH : time("from", from),
                to == null ? LATEST : time("to", to), from != null, to != null);
        if (range.from().isAfter(range.to())) {
            throw new ApiException(400, "from (" + range.from() + ") is after to (" + range.to()
                    + "): swap them");
        }
        return range;
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return params;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = Urls.decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : Urls.decode(pair.substring(eq + 1));
            if (params.put(name, value) != null) {
                throw new ApiException(400, "query parameter '" + name + "' is given twice: give it once");
            }
        }
        return params;
    }

    private static Instant time(String name, String value) {
        Instant time;
        try {
            time = value.matches("\\d{1,19}") ? Instant.ofEpochMilli(Long.parseLong(value))
                    : OffsetDateTime.parse(value).toInstant();
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new ApiException(400, name + "=" + value + " is neither an ISO-8601 time with a zone (e.g. "
                    + "2026-11-30T12:00:00Z or 2026-11-30T13:00:00+01:00) nor epoch milliseconds");
        }
        if (time.isBefore(Instant.EPOCH) || time.isAfter(LATEST)) {
            throw new ApiException(400, name + "=" + value + " is outside 1970-01-01T00:00:00Z .. " + LATEST);
        }
        return time;
    }
}
