package io.emostream.topology.ops;

/** One health answer: whether the check passes, and why, for people reading the probe's body. */
public record HealthStatus(boolean ok, String detail) {
    public static HealthStatus up(String detail) {
        return new HealthStatus(true, detail);
    }

    public static HealthStatus down(String detail) {
        return new HealthStatus(false, detail);
    }
}
