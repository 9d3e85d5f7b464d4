package io.emostream.topology.http;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Who may use the HTTP server and whether it speaks TLS. With a token, every path but the operations pages (when
 * {@code opsOpen}) needs {@code Authorization: Bearer <token>} or HTTP basic authentication with the token as the
 * password; without one, nothing is asked, which {@link HttpSettings} allows on a loopback address only.
 *
 * @param token              the token, or null for none
 * @param opsOpen            whether {@code /metrics} and {@code /health/*} answer without the token
 * @param keystore           PKCS12 or JKS key store with the server's key and certificate; empty: plain HTTP
 * @param keystorePassword   its password (and its key's), or null
 * @param truststore         trust store for the other instances' certificates when routing requests over HTTPS;
 *                           empty: the Java runtime's default trust
 * @param truststorePassword its password, or null
 */
public record HttpSecurity(Password token, boolean opsOpen, String keystore, Password keystorePassword,
                           String truststore, Password truststorePassword) {
    public static final String AUTH_TOKEN = "http.auth.token";
    public static final String OPS_OPEN = "http.auth.ops.open";
    public static final String KEYSTORE = "http.tls.keystore.location";
    public static final String KEYSTORE_PASSWORD = "http.tls.keystore.password";
    public static final String TRUSTSTORE = "http.tls.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "http.tls.truststore.password";

    /** No token, the operations pages open, plain HTTP. */
    public static final HttpSecurity NONE = new HttpSecurity(null, true, "", null, "", null);

    private static final String GROUP = "HTTP security";

    public HttpSecurity {
        keystore = keystore == null ? "" : keystore;
        truststore = truststore == null ? "" : truststore;
        if (token != null && token.value().isBlank()) token = null;
    }

    public boolean authenticates() {
        return token != null;
    }

    public boolean tls() {
        return !keystore.isEmpty();
    }

    /** This security with {@code token}. */
    public HttpSecurity withToken(String token) {
        return new HttpSecurity(new Password(token), opsOpen, keystore, keystorePassword, truststore,
                truststorePassword);
    }

    /** This security serving TLS with {@code keystore}, trusting {@code truststore} towards other instances. */
    public HttpSecurity withTls(String keystore, String keystorePassword, String truststore,
                                String truststorePassword) {
        return new HttpSecurity(token, opsOpen, keystore, new Password(keystorePassword), truststore,
                new Password(truststorePassword));
    }

    /** This security with the operations pages open or behind the token too. */
    public HttpSecurity withOpsOpen(boolean open) {
        return new HttpSecurity(token, open, keystore, keystorePassword, truststore, truststorePassword);
    }

    static HttpSecurity from(AbstractConfig config) {
        return new HttpSecurity(config.getPassword(AUTH_TOKEN), config.getBoolean(OPS_OPEN),
                config.getString(KEYSTORE), config.getPassword(KEYSTORE_PASSWORD), config.getString(TRUSTSTORE),
                config.getPassword(TRUSTSTORE_PASSWORD));
    }

    static ConfigDef define(ConfigDef def) {
        return def
                .define(AUTH_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                        "Token the HTTP server asks for on every path but the operations pages (see " + OPS_OPEN
                                + "): Authorization: Bearer <token>, or basic authentication with any user name "
                                + "and the token as the password. Required when http.bind.address is not a "
                                + "loopback address; EMOSTREAM_HTTP_AUTH_TOKEN sets it from the environment. "
                                + "Instances routing requests to each other send it, so they share one token.",
                        GROUP, 1, ConfigDef.Width.MEDIUM, AUTH_TOKEN)
                .define(OPS_OPEN, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Whether /metrics and /health/* answer without the token, for probes and scrapers that "
                                + "cannot send one; false puts them behind it too.", GROUP, 2,
                        ConfigDef.Width.SHORT, OPS_OPEN)
                .define(KEYSTORE, Type.STRING, "", Importance.MEDIUM,
                        "Key store (PKCS12 or JKS, told apart by its content) with the HTTP server's private key "
                                + "and certificate chain; set, the server speaks HTTPS only. Empty: plain HTTP.",
                        GROUP, 3, ConfigDef.Width.LONG, KEYSTORE)
                .define(KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                        "Password of " + KEYSTORE + " and of the key in it.", GROUP, 4, ConfigDef.Width.MEDIUM,
                        KEYSTORE_PASSWORD)
                .define(TRUSTSTORE, Type.STRING, "", Importance.LOW,
                        "Trust store with the certificates (or their CA) of the other instances, which this one "
                                + "reaches over HTTPS when it routes a request to a camera's owner. Empty: the "
                                + "Java runtime's default trust.", GROUP, 5, ConfigDef.Width.LONG, TRUSTSTORE)
                .define(TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW, "Password of " + TRUSTSTORE
                        + ".", GROUP, 6, ConfigDef.Width.MEDIUM, TRUSTSTORE_PASSWORD);
    }
}
