package io.emostream.topology.http;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** The SSL contexts of the HTTP server (its key store) and of the requests it routes to other instances. */
final class TlsContexts {
    private TlsContexts() { }

    /** @throws ConfigException naming the key when the key store cannot be read */
    static SSLContext server(HttpSecurity security) {
        char[] password = chars(security.keystorePassword());
        KeyStore keys = load(HttpSecurity.KEYSTORE, security.keystore(), password);
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(HttpSecurity.KEYSTORE + " " + security.keystore() + " holds no usable key ("
                    + e.getMessage() + "): check " + HttpSecurity.KEYSTORE_PASSWORD);
        }
    }

    /** Trusts {@code http.tls.truststore.location}, or the Java runtime's default trust when it is empty. */
    static SSLContext client(HttpSecurity security) {
        try {
            if (security.truststore().isEmpty()) return SSLContext.getDefault();
            KeyStore trusted = load(HttpSecurity.TRUSTSTORE, security.truststore(),
                    chars(security.truststorePassword()));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(HttpSecurity.TRUSTSTORE + " " + security.truststore() + " is not usable: "
                    + e.getMessage());
        }
    }

    private static KeyStore load(String key, String location, char[] password) {
        try {
            return KeyStore.getInstance(new File(location), password);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key + " " + location + " cannot be read (" + e.getMessage() + "): give a "
                    + "PKCS12 or JKS file and its password");
        }
    }

    private static char[] chars(Password password) {
        return password == null ? new char[0] : password.value().toCharArray();
    }
}
