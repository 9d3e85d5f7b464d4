package io.emostream.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.apache.avro.Schema;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A schema registry on 127.0.0.1 speaking the three Confluent REST calls the serde uses, over real HTTP:
 * POST /subjects/{s}/versions (register), POST /subjects/{s} (look up), GET /schemas/ids/{id}. Schemas are compared
 * in Avro's canonical form, as a registry does; ids are global, as in Confluent's registry.
 */
public final class RegistryStub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String requiredAuthorization;
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> subjects = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    public RegistryStub() throws IOException {
        this(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), null);
    }

    private RegistryStub(HttpServer server, String userInfo) {
        this.server = server;
        this.requiredAuthorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        server.createContext("/", this::handle);
        server.start();
    }

    /** A registry that answers 401 to every request without HTTP Basic credentials {@code user:password}. */
    static RegistryStub requiringBasicAuth(String userInfo) throws IOException {
        return new RegistryStub(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0),
                userInfo);
    }

    /** A registry over https with the key and certificate of {@code tls}. */
    static RegistryStub https(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new RegistryStub(server, null);
    }

    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    public synchronized int idOf(Schema schema) {
        return idsBySchema.getOrDefault(schema.toString(), -1);
    }

    synchronized List<Integer> versions(String subject) {
        return List.copyOf(subjects.getOrDefault(subject, List.of()));
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            if (requiredAuthorization != null
                    && !requiredAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                error(exchange, 401, 401, "Unauthorized");
                return;
            }
            String method = exchange.getRequestMethod();
            String[] path = exchange.getRequestURI().getRawPath().substring(1).split("/");
            if (method.equals("GET") && path.length == 3 && path[0].equals("schemas") && path[1].equals("ids")) {
                String schema = schemasById.get(Integer.parseInt(path[2]));
                if (schema == null) {
                    error(exchange, 404, 40403, "Schema not found");
                } else {
                    reply(exchange, 200, JSON.createObjectNode().put("schema", schema));
                }
            } else if (method.equals("POST") && path.length >= 2 && path[0].equals("subjects")) {
                String subject = URLDecoder.decode(path[1], StandardCharsets.UTF_8);
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                String schema = new Schema.Parser().parse(body.path("schema").asText()).toString();
                if (path.length == 3 && path[2].equals("versions")) {
                    int id = idsBySchema.computeIfAbsent(schema, s -> idsBySchema.size() + 1);
                    schemasById.put(id, schema);
                    List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
                    if (!versions.contains(id)) versions.add(id);
                    reply(exchange, 200, JSON.createObjectNode().put("id", id));
                } else if (!subjects.containsKey(subject)) {
                    error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
                } else if (!subjects.get(subject).contains(idsBySchema.getOrDefault(schema, -1))) {
                    error(exchange, 404, 40403, "Schema not found");
                } else {
                    int id = idsBySchema.get(schema);
                    reply(exchange, 200, JSON.createObjectNode().put("subject", subject).put("id", id)
                            .put("version", subjects.get(subject).indexOf(id) + 1).put("schema", schema));
                }
            } else {
                error(exchange, 404, 404, "HTTP 404 Not Found");
            }
        }
    }

    private static void error(HttpExchange exchange, int status, int code, String message) throws IOException {
        reply(exchange, status, JSON.createObjectNode().put("error_code", code).put("message", message));
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
