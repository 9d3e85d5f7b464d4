package io.emostream.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small client of the Confluent schema-registry REST API, with exactly the three calls the registry wire format
 * needs: register a schema under a subject ({@code POST /subjects/{subject}/versions}), look one up
 * ({@code POST /subjects/{subject}}) and fetch a schema by id ({@code GET /schemas/ids/{id}}). Ids and schemas are
 * cached for the life of the serde (a registry never changes what an id means), so each runs once per schema.
 * <p>
 * Why our own: Confluent's serializer and client live only in Confluent's Maven repository, not on Maven Central,
 * which is all this build may use; Apicurio's serdes are on Central but bring their own client stack and defaults
 * (global ids, headers) for a job that is three HTTP calls and a 5-byte header. This client works against any
 * registry that speaks the Confluent API (Confluent, Apicurio's ccompat API, Redpanda, Karapace). HTTP Basic
 * authentication and a trust store for https are supported ({@link RegistryAccess}); TLS client certificates are not.
 */
final class SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RegistryAccess.Endpoint> endpoints;
    private final List<String> baseUrls;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    SchemaRegistryClient(RegistryAccess access, Duration timeout) {
        this.endpoints = access.endpoints();
        this.baseUrls = access.baseUrls();
        this.timeout = timeout;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
        if (access.sslContext() != null) {
            http.sslContext(access.sslContext());
        }
        this.http = http.build();
    }

    /** The id of {@code schema} under {@code subject}, registering it first when {@code register} is true. */
    int idFor(String subject, Schema schema, boolean register) {
        String key = subject + '\0' + SchemaHistory.fingerprint(schema);
        return idsBySubjectAndSchema.computeIfAbsent(key, k -> {
            String path = "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20")
                    + (register ? "/versions" : "");
            String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
            JsonNode answer = call("POST", path, body, (status, error) -> status == 404
                    ? "subject " + subject + " does not hold this " + schema.getFullName() + " schema and "
                    + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS + " is false (" + error + ")" : null);
            int id = answer.path("id").asInt(-1);
            if (id < 0) {
                throw new SerializationException("schema registry answered " + path + " without a schema id: " + answer);
            }
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The schema the registry knows by {@code id}. */
    Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, k -> {
            JsonNode answer = call("GET", "/schemas/ids/" + id, null, (status, error) -> status == 404
                    ? "schema id " + id + " is not in the registry at " + baseUrls + ": written against another "
                    + "registry, or the schema was deleted (" + error + ")" : null);
            String type = answer.path("schemaType").asText("AVRO");
            if (!"AVRO".equals(type)) {
                throw new SerializationException("schema id " + id + " is a " + type + " schema, not Avro");
            }
            try {
                return new Schema.Parser().parse(answer.path("schema").asText());
            } catch (RuntimeException e) {
                throw new SerializationException("schema id " + id + " from the registry is not a valid Avro schema: "
                        + e.getMessage(), e);
            }
        });
    }

    /** Explains an error answer in the caller's terms, or returns null for the generic message. */
    private interface ErrorExplainer {
        String explain(int status, String registryError);
    }

    private JsonNode call(String method, String path, String body, ErrorExplainer explainer) {
        IOException lastFailure = null;
        for (RegistryAccess.Endpoint endpoint : endpoints) {
            String base = endpoint.baseUrl();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(timeout)
                    .header("Accept", CONTENT_TYPE + ", application/json")
                    .header("Content-Type", CONTENT_TYPE)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (endpoint.authorization() != null) {
                request.header("Authorization", endpoint.authorization());
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastFailure = e; // try the next registry URL
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SerializationException("interrupted while calling the schema registry at " + base, e);
            }
            JsonNode json = parse(response.body());
            if (response.statusCode() / 100 == 2 && json != null) {
                return json;
            }
            String error = json == null ? "body: " + abbreviate(response.body())
                    : "error " + json.path("error_code").asText("?") + ": " + json.path("message").asText("");
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new SerializationException("schema registry at " + base + " answered "
                        + response.statusCode() + " to " + method + " " + path + ": "
                        + (endpoint.authorization() == null ? "it needs credentials: set "
                        + AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE + "=" + AvroSerdeConfig.SOURCE_USER_INFO
                        + " and " + AvroSerdeConfig.BASIC_AUTH_USER_INFO + "=USER:PASSWORD"
                        : "check the credentials (" + AvroSerdeConfig.BASIC_AUTH_USER_INFO + " or the URL's user info)"
                        + " and the user's permissions") + " (" + error + ")");
            }
            String explained = explainer.explain(response.statusCode(), error);
            throw new SerializationException(explained != null ? explained : "schema registry at " + base
                    + " answered " + response.statusCode() + " to " + method + " " + path + " (" + error + ")");
        }
        String hint = lastFailure instanceof SSLException ? "; an https registry whose certificate the Java runtime "
                + "does not trust needs " + AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION + " (a trust store holding it or "
                + "its CA)" : "";
        throw new SerializationException("schema registry unreachable at " + baseUrls + ": " + lastFailure + hint,
                lastFailure);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
