package io.emostream.cli.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway PKCS12 key and trust stores for a local broker or server, in one directory under one password: each
 * party a self-signed EC key pair from the JDK's keytool, valid for 127.0.0.1 and localhost for two days, and trust
 * stores holding the certificates a party accepts. For the demo and tests, never for production.
 */
public final class SelfSignedStores {
    private final Path dir;
    private final String password;

    public SelfSignedStores(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    public String password() {
        return password;
    }

    /** A new key store {@code <dir>/<name>.p12} with the key pair and certificate of {@code CN=<name>}. */
    public Path keyStore(String name) {
        Path store = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        try {
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password,
                    "-keypass", password).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make a key pair for " + name + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + keytool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool made a key pair for " + name, e);
        }
        return store;
    }

    /** A new trust store {@code <dir>/<name>.p12} holding the certificates of {@code keyStores}. */
    public Path trustStore(String name, List<Path> keyStores) {
        Path store = dir.resolve(name + ".p12");
        try (OutputStream out = Files.newOutputStream(store)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (Path keyStore : keyStores) {
                KeyStore keys = KeyStore.getInstance(keyStore.toFile(), password.toCharArray());
                String alias = keys.aliases().nextElement();
                trusted.setCertificateEntry(alias, keys.getCertificate(alias));
            }
            trusted.store(out, password.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trust store " + store + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make trust store " + store + ": " + e.getMessage(), e);
        }
        return store;
    }
}
