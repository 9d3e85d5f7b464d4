package io.emostream.schemas.serde;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;

/**
 * How the client reaches the registry: each base URL (without credentials, so that it can appear in messages) with
 * the HTTP Basic {@code Authorization} header it needs, and the TLS context trusting the configured trust store
 * (null: the Java runtime's default). Settings as Confluent's clients name them, see {@link AvroSerdeConfig}.
 */
record RegistryAccess(List<Endpoint> endpoints, SSLContext sslContext) {

    /** @param authorization the {@code Authorization} header value, null for none */
    record Endpoint(String baseUrl, String authorization) { }

    static RegistryAccess of(AvroSerdeConfig config) {
        boolean fromUrl = AvroSerdeConfig.SOURCE_URL.equals(
                config.getString(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE));
        String userInfo = fromUrl ? null : userInfo(config);
        List<Endpoint> endpoints = config.getList(AvroSerdeConfig.SCHEMA_REGISTRY_URL).stream()
                .map(url -> endpoint(url, fromUrl, userInfo)).toList();
        return new RegistryAccess(endpoints, sslContext(config));
    }

    List<String> baseUrls() {
        return endpoints.stream().map(Endpoint::baseUrl).toList();
    }

    private static String userInfo(AvroSerdeConfig config) {
        Password userInfo = config.getPassword(AvroSerdeConfig.BASIC_AUTH_USER_INFO);
        if (userInfo == null || !userInfo.value().contains(":")) {
            throw new ConfigException(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE + "="
                    + AvroSerdeConfig.SOURCE_USER_INFO + " needs " + AvroSerdeConfig.BASIC_AUTH_USER_INFO
                    + "=USER:PASSWORD" + (userInfo == null ? "; it is not set" : "; it has no ':'"));
        }
        return userInfo.value();
    }

    private static Endpoint endpoint(String url, boolean fromUrl, String userInfo) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            // the URL itself is not echoed: it may hold a password
            throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL + " holds a URL that is not valid: "
                    + e.getReason());
        }
        String inUrl = uri.getRawUserInfo();
        String bare = inUrl == null ? trimmed : trimmed.replaceFirst("://[^/@]*@", "://");
        String credentials = fromUrl ? (inUrl == null ? null : URLDecoder.decode(inUrl, StandardCharsets.UTF_8))
                : userInfo;
        return new Endpoint(bare, credentials == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private static SSLContext sslContext(AvroSerdeConfig config) {
        String location = config.getString(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION);
        if (location.isBlank()) {
            return null;
        }
        Password password = config.getPassword(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD);
        String type = config.getString(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore trusted = KeyStore.getInstance(type);
            trusted.load(in, password == null ? null : password.value().toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, location, "cannot read it as a "
                    + type + " trust store (" + e.getMessage() + "); check the file, "
                    + AvroSerdeConfig.SSL_TRUSTSTORE_TYPE + " and " + AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD);
        }
    }
}
