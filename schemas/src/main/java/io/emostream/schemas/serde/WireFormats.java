package io.emostream.schemas.serde;

import org.apache.avro.Schema;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * The wire formats of a configured serde: single-object encoding, knowing the schema history of its reader
 * schemas, and the registry format when {@value AvroSerdeConfig#SCHEMA_REGISTRY_URL} is set (null otherwise).
 */
record WireFormats(SingleObjectFormat singleObject, RegistryFormat registry) {

    /**
     * @param readerSchemas the schemas the serde reads as; their older versions come from the history
     * @param readerName    what the serde reads, for messages
     */
    static WireFormats configure(Map<String, ?> configs, boolean isKey, Collection<Schema> readerSchemas,
                                 String readerName, ClassLoader loader) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        SingleObjectFormat singleObject = new SingleObjectFormat(SchemaHistory.load(readerSchemas,
                config.getList(AvroSerdeConfig.SCHEMA_HISTORY_DIRS), loader), readerName);
        boolean registryFormat = !config.getList(AvroSerdeConfig.SCHEMA_REGISTRY_URL).isEmpty();
        RegistryFormat registry = !registryFormat ? null : new RegistryFormat(new SchemaRegistryClient(
                RegistryAccess.of(config), Duration.ofMillis(config.getInt(AvroSerdeConfig.SCHEMA_REGISTRY_TIMEOUT_MS))),
                isKey, config.getBoolean(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS));
        return new WireFormats(singleObject, registry);
    }

    /** The registry format when configured, else single-object encoding. */
    WireFormat forWriting() {
        return registry != null ? registry : singleObject;
    }

    /** The format whose header starts {@code bytes}: the registry's (a leading 00) when one is configured. */
    WireFormat forReading(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            throw new BoundedDecoder.MalformedRecordException("empty value (0 bytes)");
        }
        return bytes[0] == RegistryFormat.MAGIC && registry != null ? registry : singleObject;
    }
}
