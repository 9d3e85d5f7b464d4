package io.emostream.topology.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

final class Urls {
    private Urls() { }

    /** Percent-decodes a path segment or query part; a literal '+' is kept (in a time it is a UTC offset). */
    static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "malformed percent-encoding in '" + s + "'");
        }
    }
}
