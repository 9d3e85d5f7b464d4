package io.emostream.topology.http;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * What one request may be and how often one client may ask: requests over a bound are answered 414 (URI), 431
 * (headers), 413 (body) or 429 (rate) before any handler runs.
 *
 * @param maxUriLength      longest request URI, path and query, in characters
 * @param maxHeaderBytes    most bytes of request headers, names and values together
 * @param maxBodyBytes      largest request body; the API's requests are GETs, so a body is never needed
 * @param requestsPerSecond requests each client address may make per second on average; 0 turns the limit off
 * @param burst             requests a client address may make at once before the rate applies
 */
public record HttpLimits(int maxUriLength, int maxHeaderBytes, long maxBodyBytes, double requestsPerSecond,
                         int burst) {
    public static final String MAX_URI_LENGTH = "http.max.uri.length";
    public static final String MAX_HEADER_BYTES = "http.max.header.bytes";
    public static final String MAX_BODY_BYTES = "http.max.body.bytes";
    public static final String RATE_LIMIT = "http.rate.limit.per.second";
    public static final String RATE_BURST = "http.rate.limit.burst";

    /** The defaults: 4 KiB URIs, 16 KiB of headers, 64 KiB bodies, 20 requests/s per client with bursts of 40. */
    public static final HttpLimits DEFAULTS = new HttpLimits(4096, 16 * 1024, 64 * 1024, 20, 40);

    private static final String GROUP = "HTTP limits";

    public HttpLimits {
        if (maxUriLength < 1 || maxHeaderBytes < 1 || maxBodyBytes < 0 || requestsPerSecond < 0 || burst < 1) {
            throw new IllegalArgumentException("HTTP limits must be positive: " + MAX_URI_LENGTH + " "
                    + maxUriLength + ", " + MAX_HEADER_BYTES + " " + maxHeaderBytes + ", " + MAX_BODY_BYTES + " "
                    + maxBodyBytes + ", " + RATE_LIMIT + " " + requestsPerSecond + ", " + RATE_BURST + " " + burst);
        }
    }

    public boolean rateLimited() {
        return requestsPerSecond > 0;
    }

    static HttpLimits from(AbstractConfig config) {
        return new HttpLimits(config.getInt(MAX_URI_LENGTH), config.getInt(MAX_HEADER_BYTES),
                config.getLong(MAX_BODY_BYTES), config.getDouble(RATE_LIMIT), config.getInt(RATE_BURST));
    }

    static ConfigDef define(ConfigDef def) {
        HttpLimits d = DEFAULTS;
        return def
                .define(MAX_URI_LENGTH, Type.INT, d.maxUriLength(), Range.atLeast(1), Importance.LOW,
                        "Longest request URI (path and query) the HTTP server takes, in characters; longer ones "
                                + "are answered 414.", GROUP, 1, ConfigDef.Width.SHORT, MAX_URI_LENGTH)
                .define(MAX_HEADER_BYTES, Type.INT, d.maxHeaderBytes(), Range.atLeast(1), Importance.LOW,
                        "Most bytes of request headers (names and values) the HTTP server takes; more are "
                                + "answered 431.", GROUP, 2, ConfigDef.Width.SHORT, MAX_HEADER_BYTES)
                .define(MAX_BODY_BYTES, Type.LONG, d.maxBodyBytes(), Range.atLeast(0), Importance.LOW,
                        "Largest request body the HTTP server takes; larger ones are answered 413 unread.", GROUP,
                        3, ConfigDef.Width.SHORT, MAX_BODY_BYTES)
                .define(RATE_LIMIT, Type.DOUBLE, d.requestsPerSecond(), Range.atLeast(0), Importance.LOW,
                        "Requests per second each client address may make on average, on every path; beyond it "
                                + "requests are answered 429 with Retry-After. Requests another instance routes "
                                + "here count against that instance's address. 0 turns the limit off.", GROUP, 4,
                        ConfigDef.Width.SHORT, RATE_LIMIT)
                .define(RATE_BURST, Type.INT, d.burst(), Range.atLeast(1), Importance.LOW,
                        "Requests a client address may make at once before " + RATE_LIMIT + " applies.", GROUP, 5,
                        ConfigDef.Width.SHORT, RATE_BURST);
    }
}
