package io.emostream.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.common.config.ConfigException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The writer schemas a single-object deserializer can resolve by fingerprint. Single-object encoding carries only
 * the writer schema's 64-bit fingerprint, so a reader must already know that schema to read the record (and then
 * resolves it against its own schema, filling new fields from their defaults). A history knows:
 * <ol>
 *   <li>the reader's own schemas;</li>
 *   <li>every older schema shipped on the classpath: each classpath root may hold an index file
 *       {@value #INDEX} listing classpath resources, one per line ({@code #} starts a comment), each a complete,
 *       self-contained {@code .avsc} (as {@code Schema#toString(true)} writes it). When a schema changes, the
 *       released version is copied under {@code io/emostream/schemas/history/} and listed there, so newer readers
 *       keep reading records that older producers wrote;</li>
 *   <li>every {@code *.avsc} file in the directories of {@value AvroSerdeConfig#SCHEMA_HISTORY_DIRS}: how an older
 *       reader learns schemas that newer producers write (forward compatibility) without being rebuilt.</li>
 * </ol>
 * With {@value AvroSerdeConfig#SCHEMA_REGISTRY_URL} set, the registry plays this part for the registry format.
 */
final class SchemaHistory implements SchemaStore {
    static final String INDEX = "META-INF/emostream/avro-schema-history";

    private static final Map<Schema, Long> FINGERPRINTS = new WeakHashMap<>();

    private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();

    static SchemaHistory load(Collection<Schema> readerSchemas, Collection<String> directories, ClassLoader loader) {
        SchemaHistory history = new SchemaHistory();
        readerSchemas.forEach(history::add);
        history.addClasspathSchemas(loader);
        directories.forEach(dir -> history.addDirectory(Path.of(dir)));
        return history;
    }

    /**
     * The schema's CRC-64-AVRO fingerprint, computed once per schema: each record written needs it, and computing it
     * builds the schema's whole canonical form. Weak keys: a schema no longer used leaves the cache.
     */
    static long fingerprint(Schema schema) {
        synchronized (FINGERPRINTS) {
            return FINGERPRINTS.computeIfAbsent(schema, SchemaNormalization::parsingFingerprint64);
        }
    }

    void add(Schema schema) {
        byFingerprint.put(fingerprint(schema), schema);
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        return byFingerprint.get(fingerprint);
    }

    private void addClasspathSchemas(ClassLoader loader) {
        try {
            Enumeration<URL> indexes = loader.getResources(INDEX);
            while (indexes.hasMoreElements()) {
                URL index = indexes.nextElement();
                for (String resource : indexEntries(index)) {
                    try (InputStream in = loader.getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new ConfigException("schema history " + index + " lists " + resource
                                    + ", which is not on the classpath");
                        }
                        add(parse(in, resource));
                    }
                }
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read the Avro schema history on the classpath: " + e.getMessage());
        }
    }

    private static List<String> indexEntries(URL index) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(index.openStream(),
                StandardCharsets.UTF_8))) {
            return reader.lines().map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(line -> !line.isEmpty()).toList();
        }
    }

    private void addDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(AvroSerdeConfig.SCHEMA_HISTORY_DIRS, dir.toString(), "not a directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    add(parse(in, file.toString()));
                }
            }
        } catch (IOException e) {
            throw new ConfigException(AvroSerdeConfig.SCHEMA_HISTORY_DIRS, dir.toString(),
                    "cannot read: " + e.getMessage());
        }
    }

    private static Schema parse(InputStream in, String source) throws IOException {
        try {
            // A fresh parser per file: each file is self-contained, and versions of one record share its name.
            return new Schema.Parser().parse(in);
        } catch (RuntimeException e) {
            throw new ConfigException("schema history file " + source + " is not a self-contained Avro schema: "
                    + e.getMessage());
        }
    }
}
