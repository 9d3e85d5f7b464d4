package io.emostream.topology.http;

import io.emostream.topology.TimeText;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code from} and {@code to} query parameters of the stats endpoint: ISO-8601 times (with Z or an offset) or
 * epoch milliseconds, both optional (all retained windows).
 */
record TimeRange(Instant from, Instant to, boolean fromGiven, boolean toGiven) {
    private static final Instant LATEST = TimeText.LATEST;

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
        try {
            return TimeText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, name + "=" + value + " " + e.getMessage());
        }
    }
}
