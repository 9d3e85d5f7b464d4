package io.emostream.topology.http;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address: each holds up to {@code burst} requests and refills at the rate. Memory stays
 * bounded: past {@value #MAX_CLIENTS} addresses the full buckets (clients that have been quiet) are forgotten, and
 * if that is not enough, all are.
 */
final class ClientRateLimiter {
    static final int MAX_CLIENTS = 10_000;

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    ClientRateLimiter(double requestsPerSecond, int burst, LongSupplier nanoClock) {
        this.perNano = requestsPerSecond / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** Takes a request from {@code client}'s bucket: 0 when it may go, else the nanoseconds until one may. */
    long acquire(InetAddress client) {
        long now = nanoClock.getAsLong();
        if (buckets.size() >= MAX_CLIENTS) {
            buckets.values().removeIf(b -> b.fullAt(now));
            if (buckets.size() >= MAX_CLIENTS) buckets.clear();
        }
        return buckets.computeIfAbsent(client, c -> new Bucket(burst, now)).take(now);
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take(long now) {
            tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }

        synchronized boolean fullAt(long now) {
            return tokens + (now - refilledAt) * perNano >= burst;
        }
    }
}
