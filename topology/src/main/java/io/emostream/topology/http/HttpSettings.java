package io.emostream.topology.http;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.HostInfo;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Where the process's HTTP server listens and how other instances reach it.
 *
 * @param bindAddress    address the server listens on (default 127.0.0.1: this machine only)
 * @param port           port it listens on; 0 means no HTTP server (the default)
 * @param advertisedHost the host name other instances use to reach this one (default localhost); with the port it
 *                       must be Kafka Streams' {@code application.server} ({@link #applicationServer()})
 * @param threads        threads serving requests, apart from the stream threads (default 4)
 * @param forwardTimeout longest wait for another instance's answer to a routed request (default 5 s)
 * @param security       token, open operations pages, TLS ({@link HttpSecurity})
 * @param limits         request sizes and rates ({@link HttpLimits})
 */
public record HttpSettings(String bindAddress, int port, String advertisedHost, int threads, Duration forwardTimeout,
                           HttpSecurity security, HttpLimits limits) {
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_BIND_ADDRESS = "http.bind.address";
    public static final String HTTP_ADVERTISED_HOST = "http.advertised.host";
    public static final String HTTP_THREADS = "http.threads";
    public static final String HTTP_FORWARD_TIMEOUT_MS = "http.forward.timeout.ms";
    static final String LOOPBACK = "127.0.0.1";

    private static final String GROUP = "HTTP server";

    public HttpSettings {
        if (port < 0 || port > 65535) throw new IllegalArgumentException(HTTP_PORT + " must be 0..65535, got " + port);
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException(HTTP_BIND_ADDRESS + " must be set");
        }
        if (advertisedHost == null || advertisedHost.isBlank()) {
            throw new IllegalArgumentException(HTTP_ADVERTISED_HOST + " must be set");
        }
        if (threads < 1) throw new IllegalArgumentException(HTTP_THREADS + " must be >= 1, got " + threads);
        if (forwardTimeout.isNegative() || forwardTimeout.isZero()) {
            throw new IllegalArgumentException(HTTP_FORWARD_TIMEOUT_MS + " must be > 0, got "
                    + forwardTimeout.toMillis());
        }
        if (security == null || limits == null) throw new IllegalArgumentException("HTTP security and limits must be set");
    }

    /** Without a token or TLS, with the default limits. */
    public HttpSettings(String bindAddress, int port, String advertisedHost, int threads, Duration forwardTimeout) {
        this(bindAddress, port, advertisedHost, threads, forwardTimeout, HttpSecurity.NONE, HttpLimits.DEFAULTS);
    }

    /** The defaults on {@code port}, listening on {@code bindAddress}. */
    public static HttpSettings on(String bindAddress, int port) {
        return new HttpSettings(bindAddress, port, "localhost", 4, Duration.ofSeconds(5));
    }

    /** These settings with {@code security}. */
    public HttpSettings with(HttpSecurity security) {
        return new HttpSettings(bindAddress, port, advertisedHost, threads, forwardTimeout, security, limits);
    }

    /** These settings with {@code limits}. */
    public HttpSettings with(HttpLimits limits) {
        return new HttpSettings(bindAddress, port, advertisedHost, threads, forwardTimeout, security, limits);
    }

    /**
     * From a configuration whose definition went through {@link #define}.
     *
     * @throws ConfigException when a value is invalid, or the server would serve the query API on an address other
     *                         than loopback without a token ({@link #requireTokenWhenPublic()})
     */
    public static HttpSettings from(AbstractConfig config) {
        HttpSettings settings;
        try {
            settings = new HttpSettings(config.getString(HTTP_BIND_ADDRESS), config.getInt(HTTP_PORT),
                    config.getString(HTTP_ADVERTISED_HOST), config.getInt(HTTP_THREADS),
                    Duration.ofMillis(config.getLong(HTTP_FORWARD_TIMEOUT_MS)), HttpSecurity.from(config),
                    HttpLimits.from(config));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (settings.enabled()) settings.requireTokenWhenPublic();
        return settings;
    }

    /**
     * Camera frames are images of people: beyond this machine, only those holding the token may read what they
     * show.
     *
     * @throws ConfigException when the bind address is not a loopback address and no token is set
     */
    public void requireTokenWhenPublic() {
        if (security.authenticates() || loopback()) return;
        throw new ConfigException(HTTP_BIND_ADDRESS + " " + bindAddress + " is reachable from other machines, but "
                + HttpSecurity.AUTH_TOKEN + " is not set: set a token (in the settings, or as the environment "
                + "variable EMOSTREAM_HTTP_AUTH_TOKEN) so that only its holders read the cameras, or bind to "
                + LOOPBACK);
    }

    /** Whether the server listens on a loopback address only. */
    public boolean loopback() {
        try {
            return InetAddress.getByName(bindAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException(HTTP_BIND_ADDRESS + " " + bindAddress + " is not an address of this machine: "
                    + e.getMessage());
        }
    }

    /** Adds the HTTP keys, with their defaults and documentation, to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        HttpSettings d = on(LOOPBACK, 0);
        def
                .define(HTTP_PORT, Type.INT, d.port(), Range.between(0, 65535), Importance.MEDIUM,
                        "Port of the HTTP server: the query API (GET /api/cameras ...), /metrics (Prometheus) and "
                                + "/health/live, /health/ready; 0 serves no HTTP. With several "
                                + "instances, application.server must be " + HTTP_ADVERTISED_HOST + ":" + HTTP_PORT
                                + " so that requests are routed to the instance owning a camera.", GROUP, 1,
                        ConfigDef.Width.SHORT, HTTP_PORT)
                .define(HTTP_BIND_ADDRESS, Type.STRING, d.bindAddress(), new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "Address the HTTP server listens on: " + LOOPBACK + " serves this "
                                + "machine only; 0.0.0.0 (all interfaces) or another address of this machine "
                                + "needs " + HttpSecurity.AUTH_TOKEN + ".", GROUP, 2, ConfigDef.Width.MEDIUM,
                        HTTP_BIND_ADDRESS)
                .define(HTTP_ADVERTISED_HOST, Type.STRING, d.advertisedHost(), new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Host name under which the other instances reach this one's HTTP "
                                + "server.", GROUP, 3, ConfigDef.Width.MEDIUM, HTTP_ADVERTISED_HOST)
                .define(HTTP_THREADS, Type.INT, d.threads(), Range.between(1, 256), Importance.LOW,
                        "Threads serving HTTP requests; separate from the stream threads, so slow clients never "
                                + "slow processing.", GROUP, 4, ConfigDef.Width.SHORT, HTTP_THREADS)
                .define(HTTP_FORWARD_TIMEOUT_MS, Type.LONG, d.forwardTimeout().toMillis(), Range.atLeast(1),
                        Importance.LOW, "Longest wait for another instance's answer when a request is routed to "
                                + "the instance that owns the camera.", GROUP, 5, ConfigDef.Width.SHORT,
                        HTTP_FORWARD_TIMEOUT_MS);
        return HttpLimits.define(HttpSecurity.define(def));
    }

    public boolean enabled() {
        return port != 0;
    }

    /** This instance as the other instances see it. */
    public HostInfo advertised() {
        return new HostInfo(advertisedHost, port);
    }

    /** The value for Kafka Streams' {@code application.server}. */
    public String applicationServer() {
        return advertisedHost + ":" + port;
    }
}
