package io.emostream.connect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A Kafka Connect worker in this JVM, in distributed mode (one member), on a broker: its plugins come from
 * {@code plugin.path} as on any worker, and connectors are created through its REST API, as users create them.
 */
final class ConnectWorker implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connect<?> connect;
    private final URI rest;
    private final HttpClient http = HttpClient.newHttpClient();

    private ConnectWorker(Connect<?> connect) {
        this.connect = connect;
        this.rest = connect.rest().serverUrl();
    }

    /** Starts a worker with its own group and internal topics; returns once its REST API answers. */
    static ConnectWorker start(String bootstrapServers, Path pluginPath) {
        String group = "emostream-connect-it-" + UUID.randomUUID();
        Map<String, String> props = fixedSettings();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", group);
        props.put("config.storage.topic", group + "-configs");
        props.put("offset.storage.topic", group + "-offsets");
        props.put("status.storage.topic", group + "-status");
        props.put("plugin.path", pluginPath.toString());
        return new ConnectWorker(new ConnectDistributed().startConnect(props));
    }

    /** worker.properties beside this class: the settings that do not depend on the broker, group and plugins. */
    private static Map<String, String> fixedSettings() {
        Properties file = new Properties();
        try (InputStream in = ConnectWorker.class.getResourceAsStream("worker.properties")) {
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> props = new HashMap<>();
        file.stringPropertyNames().forEach(key -> props.put(key, file.getProperty(key)));
        return props;
    }

    /** A connector file of deploy/connect ({"name": ..., "config": {...}}): its name and configuration. */
    static Map.Entry<String, Map<String, String>> connectorFile(Path file) {
        try {
            JsonNode json = JSON.readTree(file.toFile());
            Map<String, String> config = new LinkedHashMap<>();
            json.get("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            return Map.entry(json.get("name").asText(), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the connector through the REST API and waits until it and its tasks run. */
    void deploy(String name, Map<String, String> config) throws InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(rest.resolve("/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(config))));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + name + ": " + response.statusCode() + " " + response.body());
        }
        Waits.until(() -> running(name), TIMEOUT, () -> "connector " + name + " running: " + status(name));
    }

    /** GET on the REST API, as JSON. */
    JsonNode get(String path) {
        try {
            return JSON.readTree(send(HttpRequest.newBuilder(rest.resolve(path)).GET()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String status(String name) {
        return get("/connectors/" + name + "/status").toString();
    }

    /**
     * Whether the connector and all its tasks run.
     *
     * @throws IllegalStateException with the worker's stack trace when it or a task failed: no use waiting
     */
    boolean running(String name) {
        JsonNode status = get("/connectors/" + name + "/status");
        List<JsonNode> states = new ArrayList<>(List.of(status.path("connector")));
        status.path("tasks").forEach(states::add);
        for (JsonNode state : states) {
            if ("FAILED".equals(state.path("state").asText())) {
                throw new IllegalStateException(name + " failed: " + state.path("trace").asText());
            }
        }
        return states.size() > 1 && states.stream().allMatch(s -> "RUNNING".equals(s.path("state").asText()));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String json(Map<String, String> config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
