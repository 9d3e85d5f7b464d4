package io.emostream.cli.security;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key and trust stores made in the test: each party a self-signed EC key pair from the JDK's keytool, valid for
 * 127.0.0.1 and localhost, and trust stores holding the certificates a party accepts.
 */
public final class TestCertificates {
    /** The password of every store and key. */
    public static final String PASSWORD = "test-store-secret";

    private TestCertificates() { }

    /** A new PKCS12 key store {@code dir/<name>.p12} with the key pair and certificate of {@code CN=<name>}. */
    public static Path keyStore(Path dir, String name) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD,
                "-keypass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed for " + name + ": " + output);
        }
        return store;
    }

    /** A new PKCS12 trust store {@code dir/<name>.p12} holding the certificates of {@code keyStores}. */
    public static Path trustStore(Path dir, String name, List<Path> keyStores)
            throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (Path keyStore : keyStores) {
            KeyStore keys = KeyStore.getInstance(keyStore.toFile(), PASSWORD.toCharArray());
            String alias = keys.aliases().nextElement();
            trusted.setCertificateEntry(alias, keys.getCertificate(alias));
        }
        Path store = dir.resolve(name + ".p12");
        try (OutputStream out = Files.newOutputStream(store)) {
            trusted.store(out, PASSWORD.toCharArray());
        }
        return store;
    }
}
