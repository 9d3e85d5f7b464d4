package io.emostream.topology.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import org.apache.kafka.common.config.types.Password;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * Lets a request through when it carries the token: {@code Authorization: Bearer <token>}, or basic authentication
 * with any user name and the token as the password (for browsers and tools that only know that). Otherwise 401 with
 * both challenges. The comparison takes the same time however much of the token matches.
 */
final class TokenAuthentication extends Filter {
    static final String REALM = "emostream";

    private final byte[] token;

    TokenAuthentication(Password token) {
        this.token = token.value().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
            chain.doFilter(exchange);
            return;
        }
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        ErrorAnswer.send(exchange, 401, "this path needs the token (" + HttpSecurity.AUTH_TOKEN + "): send "
                + "Authorization: Bearer <token>, or basic authentication with the token as the password");
    }

    @Override
    public String description() {
        return "token authentication";
    }

    private boolean authorized(String header) {
        if (header == null) return false;
        int space = header.indexOf(' ');
        if (space < 0) return false;
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        String credentials = header.substring(space + 1).trim();
        if (scheme.equals("bearer")) return matches(credentials);
        if (!scheme.equals("basic")) return false;
        String userAndPassword;
        try {
            userAndPassword = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = userAndPassword.indexOf(':');
        return colon >= 0 && matches(userAndPassword.substring(colon + 1));
    }

    private boolean matches(String offered) {
        return MessageDigest.isEqual(token, offered.getBytes(StandardCharsets.UTF_8));
    }
}
