package io.emostream.topology.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Answers a request that exceeds {@link HttpLimits} before any handler sees it: 429 past its client's rate, 414 for
 * a long URI, 431 for large headers, 413 for a large body (declared, or chunked and read up to the bound).
 */
final class RequestLimits extends Filter {
    private final HttpLimits limits;
    private final ClientRateLimiter rates;

    RequestLimits(HttpLimits limits) {
        this.limits = limits;
        this.rates = new ClientRateLimiter(limits.requestsPerSecond(), limits.burst(), System::nanoTime);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (limits.rateLimited()) {
            long waitNanos = rates.acquire(exchange.getRemoteAddress().getAddress());
            if (waitNanos > 0) {
                long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999));
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(seconds));
                ErrorAnswer.send(exchange, 429, "too many requests from " + exchange.getRemoteAddress().getAddress()
                        .getHostAddress() + " (" + HttpLimits.RATE_LIMIT + " " + limits.requestsPerSecond()
                        + ", bursts of " + limits.burst() + "): retry after " + seconds + " s");
                return;
            }
        }
        int uriLength = exchange.getRequestURI().toString().length();
        if (uriLength > limits.maxUriLength()) {
            ErrorAnswer.send(exchange, 414, "the request URI has " + uriLength + " characters, more than "
                    + HttpLimits.MAX_URI_LENGTH + " " + limits.maxUriLength());
            return;
        }
        long headerBytes = headerBytes(exchange.getRequestHeaders());
        if (headerBytes > limits.maxHeaderBytes()) {
            ErrorAnswer.send(exchange, 431, "the request headers take " + headerBytes + " bytes, more than "
                    + HttpLimits.MAX_HEADER_BYTES + " " + limits.maxHeaderBytes());
            return;
        }
        if (!bodyFits(exchange)) {
            ErrorAnswer.send(exchange, 413, "the request body is larger than " + HttpLimits.MAX_BODY_BYTES + " "
                    + limits.maxBodyBytes() + " bytes");
            return;
        }
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "request sizes and rates";
    }

    /** Checks a declared length; reads a chunked body up to the bound and hands on what it read. */
    private boolean bodyFits(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                return Long.parseLong(declared.trim()) <= limits.maxBodyBytes();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (!exchange.getRequestHeaders().containsKey("Transfer-Encoding")) return true;
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBodyBytes() + 1));
        if (body.length > limits.maxBodyBytes()) return false;
        exchange.setStreams(new ByteArrayInputStream(body), null);
        return true;
    }

    private static long headerBytes(Map<String, List<String>> headers) {
        long bytes = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) bytes += header.getKey().length() + value.length() + 4;
        }
        return bytes;
    }
}
