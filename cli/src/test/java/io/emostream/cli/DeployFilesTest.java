package io.emostream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emostream.topology.analytics.FlatObjects;
import io.emostream.topology.app.ConfigLoader;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.http.HttpSecurity;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The deployment files under {@code deploy/}: every YAML and JSON file parses, and whatever they set for the
 * application exists in its configuration with a valid value: the environment variables of the images, the compose
 * file and the Kubernetes manifests, the ConfigMap's properties, the commands they run, the Strimzi topics, the
 * Prometheus targets and the dashboard's metrics; the compose file's Kafka Connect worker, its sinks and PostgreSQL.
 */
class DeployFilesTest {
    private static final Path ROOT = repositoryRoot();
    private static final Path DEPLOY = ROOT.resolve("deploy");
    /** Read by the entry point, the model cache and the logging configuration; every other one must be a setting. */
    private static final Set<String> NOT_SETTINGS = Set.of("EMOSTREAM_CONFIG_FILE", "EMOSTREAM_METRICS_PORT",
            "EMOSTREAM_JAVA_OPTS", "EMOSTREAM_DEBUG", "EMOSTREAM_MODEL_CACHE", "EMOSTREAM_LOG_LEVEL");
    private static final Path CONNECT = DEPLOY.resolve("connect");
    private static final Pattern METRIC = Pattern.compile("\\b(emostream|kafka|jvm|process)_[a-z0-9_]+");

    @Test
    void everyYamlAndJsonFileUnderDeployParses() throws IOException {
        List<Path> files = files("yaml", "yml", "json");
        for (Path file : files) {
            try {
                if (file.toString().endsWith(".json")) new ObjectMapper().readTree(file.toFile());
                else yaml(file);
            } catch (RuntimeException | IOException e) {
                fail(ROOT.relativize(file) + " does not parse: " + e.getMessage());
            }
        }
        Set<String> names = new TreeSet<>(files.stream().map(f -> DEPLOY.relativize(f).toString()).toList());
        assertTrue(names.containsAll(List.of("compose.yaml", "prometheus/prometheus.yml",
                "grafana/dashboards/emostream.json", "k8s/base/deployment.yaml", "k8s/overlays/gpu/gpu.yaml",
                "connect/objects-postgres-sink.json", "connect/camera-stats-postgres-sink.json")),
                names::toString);
    }

    @Test
    void everyEmostreamVariableTheImagesComposeAndKubernetesSetIsASettingOrOneTheEntryPointReads()
            throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String dockerfile : List.of("Dockerfile", "Dockerfile.cuda")) {
            dockerfileEnv(DEPLOY.resolve(dockerfile)).forEach((k, v) -> variables.put(dockerfile + ": " + k, k));
        }
        composeServices().forEach((name, service) ->
                environment(service).keySet().forEach(k -> variables.put("compose " + name + ": " + k, k)));
        for (Path file : files("yaml")) {
            if (!file.startsWith(DEPLOY.resolve("k8s"))) continue;
            for (Map<String, Object> container : containers(file)) {
                for (Map<String, Object> env : list(container.get("env"))) {
                    variables.put(DEPLOY.relativize(file) + ": " + env.get("name"), (String) env.get("name"));
                }
            }
        }
        assertTrue(variables.size() > 10, variables::toString);
        variables.forEach((where, name) -> {
            if (!name.startsWith(ConfigLoader.ENV_PREFIX) || NOT_SETTINGS.contains(name)) return;
            assertTrue(ConfigLoader.settingOf(name).isPresent(), where + " is no emostream or Kafka Streams key");
        });
    }

    @Test
    void theConfigMapSetsOnlyKnownKeysWithValidValues() throws IOException {
        Map<String, String> properties = configMapProperties();
        assertFalse(properties.isEmpty());
        Set<String> unknown = new TreeSet<>();
        properties.keySet().forEach(key -> {
            if (!known(key)) unknown.add(key);
        });
        assertEquals(Set.of(), unknown, "keys of the ConfigMap that nothing reads");
        EmoStreamAppConfig config = new EmoStreamAppConfig(deployedSettings()); // throws naming a key whose value is invalid
        config.httpSettings(); // throws naming the token when the query API would be open to all
        config.lifecycleSettings();
        assertTrue(config.httpSettings().enabled(), "the probes need the HTTP server");
    }

    @Test
    void theCommandsComposeAndKubernetesRunParse() throws IOException {
        List<List<String>> commands = new ArrayList<>();
        composeServices().forEach((name, service) -> {
            if (!String.valueOf(service.get("image")).startsWith("emostream")) return;
            List<String> args = new ArrayList<>(strings(service.get("command")));
            // the entry point turns EMOSTREAM_BOOTSTRAP_SERVERS into ingest's flag (deploy/test-entrypoint.sh)
            if (args.get(0).equals("ingest") && environment(service).containsKey("EMOSTREAM_BOOTSTRAP_SERVERS")) {
                args.addAll(List.of("--bootstrap-servers", environment(service).get("EMOSTREAM_BOOTSTRAP_SERVERS")));
            }
            commands.add(args);
        });
        for (Map<String, Object> container : containers(DEPLOY.resolve("k8s/base/deployment.yaml"))) {
            commands.add(strings(container.get("args")));
        }
        assertEquals(3, commands.size(), commands::toString);
        for (List<String> args : commands) {
            try {
                Main.commandLine().parseArgs(args.toArray(String[]::new));
            } catch (RuntimeException e) {
                fail(args + " does not parse: " + e.getMessage());
            }
        }
    }

    @Test
    void theStrimziTopicsAreTheTopicsTheConfiguredApplicationUsesCompactedWhereItNeeds() throws IOException {
        EmoStreamAppConfig config = new EmoStreamAppConfig(deployedSettings());
        Map<String, Map<String, Object>> topics = strimziTopics();
        Set<String> used = new TreeSet<>(List.of(config.topics().frames(), config.topics().detections(),
                config.topics().segmentations(), config.topics().deadLetters()));
        used.addAll(config.analyticsTopics().all());
        assertEquals(used, topics.keySet());
        for (String name : used) {
            Map<String, Object> topicConfig = map(topics.get(name).get("config"));
            boolean compacted = "compact".equals(topicConfig.get("cleanup.policy"));
            assertEquals(config.analyticsTopics().compacted().contains(name), compacted, name + " compaction");
        }
    }

    @Test
    void replicasTimesStreamThreadsFitTheFramesTopicsPartitions() throws IOException {
        EmoStreamAppConfig config = new EmoStreamAppConfig(deployedSettings());
        int partitions = ((Number) strimziTopics().get(config.topics().frames()).get("partitions")).intValue();
        int replicas = ((Number) map(yaml(DEPLOY.resolve("k8s/base/deployment.yaml")).get(0).get("spec"))
                .get("replicas")).intValue();
        int threads = new StreamsConfig(config.streamsProperties()).getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG);
        assertTrue(replicas * threads <= partitions, replicas + " x " + threads + " > " + partitions);
        for (Map<String, Object> container : containers(DEPLOY.resolve("k8s/overlays/gpu/gpu.yaml"))) {
            for (Map<String, Object> env : list(container.get("env"))) {
                if (env.get("name").equals("EMOSTREAM_NUM_STREAM_THREADS")) {
                    int gpuThreads = Integer.parseInt((String) env.get("value"));
                    assertTrue(replicas * gpuThreads <= partitions, "gpu: " + replicas + " x " + gpuThreads);
                }
            }
        }
    }

    @Test
    void prometheusScrapesTheMetricsPortOfEveryEmostreamServiceOfTheComposeFile() throws IOException {
        String imagePort = dockerfileEnv(DEPLOY.resolve("Dockerfile")).get("EMOSTREAM_HTTP_PORT");
        Set<String> expected = new TreeSet<>();
        composeServices().forEach((name, service) -> {
            if (!String.valueOf(service.get("image")).startsWith("emostream")) return;
            Map<String, String> env = environment(service);
            expected.add(name + ":" + env.getOrDefault("EMOSTREAM_METRICS_PORT",
                    env.getOrDefault("EMOSTREAM_HTTP_PORT", imagePort)));
        });
        Set<String> targets = new TreeSet<>();
        for (Map<String, Object> job : list(yaml(DEPLOY.resolve("prometheus/prometheus.yml")).get(0)
                .get("scrape_configs"))) {
            for (Map<String, Object> statics : list(job.get("static_configs"))) targets.addAll(strings(statics.get("targets")));
        }
        assertEquals(expected, targets);
    }

    @Test
    void theDashboardQueriesOnlyMetricsTheReadmeDocuments() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/dashboards/emostream.json").toFile());
        Set<String> undocumented = new TreeSet<>();
        int queries = 0;
        for (JsonNode expr : dashboard.findValues("expr")) {
            queries++;
            Matcher m = METRIC.matcher(expr.asText());
            while (m.find()) {
                String metric = m.group().replaceAll("_(bucket|sum|count)$", "");
                if (!readme.contains("`" + metric + "`")) undocumented.add(metric);
            }
        }
        assertTrue(queries > 10, "queries: " + queries);
        assertEquals(Set.of(), undocumented, "metrics the dashboard queries that README.md does not document");
    }

    @Test
    void theComposedSinksReadTopicsTheComposedApplicationWritesAndAreAllCreated() throws IOException {
        Map<String, String> settings = new HashMap<>();
        environment(composeServices().get("emostream-run")).forEach((variable, value) ->
                ConfigLoader.settingOf(variable).ifPresent(key -> settings.put(key, value)));
        EmoStreamAppConfig config = new EmoStreamAppConfig(settings);
        Set<String> written = new TreeSet<>(List.of(config.topics().detections(), config.topics().segmentations(),
                config.topics().deadLetters()));
        if (config.analyticsEnabled()) written.addAll(config.analyticsTopics().all());
        if (config.objectsEnabled()) written.add(config.getString(FlatObjects.TOPIC));
        String createsSinks = strings(composeServices().get("connect-sinks").get("command")).get(0);
        List<Path> sinks = sinkFiles();
        assertEquals(2, sinks.size(), sinks::toString);
        for (Path sink : sinks) {
            Map<String, String> sinkConfig = connectorConfig(sink);
            for (String topic : sinkConfig.get("topics").split(",")) {
                assertTrue(written.contains(topic.trim()), sink.getFileName() + " reads " + topic + ", which the "
                        + "composed application does not write (it writes " + written + ")");
            }
            assertTrue(createsSinks.contains("/sinks/" + sink.getFileName()), "connect-sinks does not create " + sink);
            assertTrue(connectModuleClass(sinkConfig.get("value.converter")), sinkConfig.get("value.converter"));
        }
    }

    @Test
    void theComposedSinksReachTheComposedPostgresWhichCreatesTheirTables() throws IOException {
        Map<String, Object> postgres = composeServices().get("postgres");
        Map<String, String> env = environment(postgres);
        for (Path sink : sinkFiles()) {
            Map<String, String> sinkConfig = connectorConfig(sink);
            assertEquals("jdbc:postgresql://postgres:5432/" + env.get("POSTGRES_DB"), sinkConfig.get("connection.url"));
            assertEquals(env.get("POSTGRES_USER"), sinkConfig.get("connection.username"));
            assertEquals(env.get("POSTGRES_PASSWORD"), sinkConfig.get("connection.password"));
            String table = sinkConfig.get("collection.name.format");
            assertTrue(Files.readString(CONNECT.resolve("postgres-tables.sql"))
                    .contains("CREATE TABLE IF NOT EXISTS " + table + " ("), table + " is not in postgres-tables.sql");
        }
        assertTrue(strings(postgres.get("volumes")).contains(
                "./connect/postgres-tables.sql:/docker-entrypoint-initdb.d/postgres-tables.sql:ro"),
                "postgres runs postgres-tables.sql on its first start");
    }

    @Test
    void theWorkerNamesTheEmostreamConverterAndFindsBothPluginsOnItsPluginPath() throws IOException {
        Properties worker = new Properties();
        try (var in = Files.newBufferedReader(CONNECT.resolve("worker.properties"))) {
            worker.load(in);
        }
        assertTrue(connectModuleClass(worker.getProperty("value.converter")), worker.getProperty("value.converter"));

        Map<String, Object> connect = composeServices().get("connect");
        Map<String, String> mounts = new HashMap<>(); // container path -> host path or volume
        strings(connect.get("volumes")).forEach(v -> mounts.put(v.split(":")[1], v.split(":")[0]));
        List<String> command = strings(connect.get("command"));
        assertEquals("/opt/kafka/bin/connect-distributed.sh", command.get(0));
        assertEquals("./connect/worker.properties", mounts.remove(command.get(1)), "the worker reads this file");
        assertEquals(new TreeSet<>(List.of(worker.getProperty("plugin.path").split(","))),
                new TreeSet<>(mounts.keySet()), "every plugin.path entry is mounted, and only those");
        Matcher version = Pattern.compile("<artifactId>emostream-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(version.find());
        assertTrue(mounts.containsValue("../connect/target/emostream-connect-" + version.group(1) + "-plugin"),
                "the connect module's plugin folder of this version is mounted: " + mounts);
        assertTrue(mounts.containsValue("debezium-plugins"), mounts::toString);
    }

    /** An emostream setting, a Kafka Streams setting, or a client setting under one of Kafka Streams' prefixes. */
    private static boolean known(String key) {
        if (EmoStreamAppConfig.CONFIG.names().contains(key) || StreamsConfig.configDef().names().contains(key)) {
            return true;
        }
        Set<String> clients = new HashSet<>(ProducerConfig.configNames());
        clients.addAll(ConsumerConfig.configNames());
        clients.addAll(AdminClientConfig.configNames());
        for (String prefix : List.of(StreamsConfig.PRODUCER_PREFIX, StreamsConfig.CONSUMER_PREFIX,
                StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
                StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX)) {
            if (key.startsWith(prefix) && clients.contains(key.substring(prefix.length()))) return true;
        }
        return clients.contains(key);
    }

    /**
     * The ConfigMap's settings and the token the Deployment gives from its Secret (EMOSTREAM_HTTP_AUTH_TOKEN),
     * without which the query API, listening beyond loopback, would not start.
     */
    private static Map<String, String> deployedSettings() throws IOException {
        List<String> env = containers(DEPLOY.resolve("k8s/base/deployment.yaml")).stream()
                .flatMap(c -> list(c.get("env")).stream()).map(e -> (String) e.get("name")).toList();
        Map<String, String> settings = configMapProperties();
        if (env.contains("EMOSTREAM_HTTP_AUTH_TOKEN")) settings.put(HttpSecurity.AUTH_TOKEN, "from the Secret");
        return settings;
    }

    private static Map<String, String> configMapProperties() throws IOException {
        Map<String, String> out = new HashMap<>();
        for (Map<String, Object> doc : yaml(DEPLOY.resolve("k8s/base/configmap.yaml"))) {
            for (Map.Entry<String, Object> data : map(doc.get("data")).entrySet()) {
                if (!data.getKey().endsWith(".properties")) continue;
                Properties props = new Properties();
                props.load(new StringReader((String) data.getValue()));
                props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k)));
            }
        }
        return out;
    }

    private static List<Path> sinkFiles() throws IOException {
        try (Stream<Path> paths = Files.list(CONNECT)) {
            return paths.filter(p -> p.getFileName().toString().endsWith("-sink.json")).sorted().toList();
        }
    }

    /** The "config" object of a connector file ({"name": ..., "config": {...}}), as the REST API takes it. */
    private static Map<String, String> connectorConfig(Path file) throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        new ObjectMapper().readTree(file.toFile()).get("config").fields()
                .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    /** A class of the connect module, by its source (cli does not depend on that module). */
    private static boolean connectModuleClass(String name) {
        return name.startsWith("io.emostream.connect.")
                && Files.isRegularFile(ROOT.resolve("connect/src/main/java/" + name.replace('.', '/') + ".java"));
    }

    private static Map<String, Map<String, Object>> strimziTopics() throws IOException {
        Map<String, Map<String, Object>> topics = new LinkedHashMap<>();
        for (Map<String, Object> doc : yaml(DEPLOY.resolve("k8s/base/kafka-topics.yaml"))) {
            assertEquals("KafkaTopic", doc.get("kind"));
            topics.put((String) map(doc.get("metadata")).get("name"), map(doc.get("spec")));
        }
        return topics;
    }

    private static Map<String, Map<String, Object>> composeServices() throws IOException {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(yaml(DEPLOY.resolve("compose.yaml")).get(0).get("services")).forEach((k, v) -> services.put(k, map(v)));
        return services;
    }

    /** A compose service's environment, given as a map or as a list of NAME=VALUE. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object given = service.get("environment");
        if (given instanceof Map<?, ?> m) m.forEach((k, v) -> env.put(k.toString(), String.valueOf(v)));
        else strings(given).forEach(pair -> env.put(pair.split("=", 2)[0], pair.split("=", 2)[1]));
        return env;
    }

    /** The containers of every pod template (Deployment or patch) in a Kubernetes manifest. */
    private static List<Map<String, Object>> containers(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> doc : yaml(file)) {
            Map<String, Object> template = map(map(doc.get("spec")).get("template"));
            out.addAll(list(map(template.get("spec")).get("containers")));
        }
        return out;
    }

    /** The variables set by a Dockerfile's ENV instructions (KEY=VALUE form, lines continued with '\'). */
    private static Map<String, String> dockerfileEnv(Path dockerfile) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        String joined = Files.readString(dockerfile).replace("\\\n", " ");
        joined.lines().filter(l -> l.startsWith("ENV ")).forEach(l -> {
            for (String pair : l.substring(4).trim().split("\\s+")) env.put(pair.split("=", 2)[0], pair.split("=", 2)[1]);
        });
        return env;
    }

    /** The non-empty documents of a YAML file. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> yaml(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
            if (doc != null) docs.add((Map<String, Object>) doc);
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    private static List<String> strings(Object value) {
        return value == null ? List.of() : ((List<?>) value).stream().map(String::valueOf).toList();
    }

    private static List<Path> files(String... extensions) throws IOException {
        try (Stream<Path> paths = Files.walk(DEPLOY)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(extensions).anyMatch(e -> p.getFileName().toString().endsWith("." + e)))
                    .sorted().toList();
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy")) && Files.isRegularFile(dir.resolve("cli/pom.xml"))) return dir;
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
