package io.emostream.schemas.serde;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

import java.util.List;
import java.util.Map;

/**
 * Settings of {@link AvroSerde}, read from the configs Kafka passes to {@code configure} (producer, consumer or
 * Streams properties). Keys follow Confluent's serializer where the idea is the same.
 */
public final class AvroSerdeConfig extends AbstractConfig {
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String SCHEMA_REGISTRY_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String SCHEMA_HISTORY_DIRS = "avro.schema.history.dirs";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    /** Credentials in each registry URL ({@code https://user:password@host}), as in Confluent's clients. */
    public static final String SOURCE_URL = "URL";
    /** Credentials in {@value #BASIC_AUTH_USER_INFO}, for every registry URL. */
    public static final String SOURCE_USER_INFO = "USER_INFO";

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, Type.LIST, List.of(), Importance.HIGH,
                    "Base URL(s) of a Confluent-compatible schema registry, comma-separated (tried in order). "
                            + "Empty (the default): records use Avro single-object encoding. Set: the serializer "
                            + "writes the registry wire format (magic byte 0, 4-byte schema id, Avro binary) under "
                            + "subject <topic>-value or <topic>-key.")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Registry format only: register the writer schema under its subject if missing. False: only "
                            + "look it up, and fail if the subject does not hold it.")
            .define(SCHEMA_REGISTRY_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Registry format only: timeout of each registry HTTP request, in milliseconds.")
            .define(SCHEMA_HISTORY_DIRS, Type.LIST, List.of(), Importance.MEDIUM,
                    "Single-object format: directories whose *.avsc files (complete, self-contained schemas) the "
                            + "deserializer adds to the writer schemas it can resolve by fingerprint, beside its own "
                            + "schema and the history shipped on the classpath. Lets a reader read records from "
                            + "producers with newer schemas.")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, SOURCE_URL,
                    ConfigDef.ValidString.in(SOURCE_URL, SOURCE_USER_INFO), Importance.MEDIUM,
                    "Registry format only: where the HTTP Basic credentials for the registry come from. URL: the "
                            + "user info of each registry URL (https://user:password@host), none if it has none; "
                            + "USER_INFO: " + BASIC_AUTH_USER_INFO + ", for every registry URL.")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                    "Registry format only: USER:PASSWORD sent as HTTP Basic credentials when "
                            + BASIC_AUTH_CREDENTIALS_SOURCE + " is USER_INFO.")
            .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM,
                    "Registry format only: trust store file holding the certificates (or their CA) of an https "
                            + "registry. Empty: the Java runtime's default trust store.")
            .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Registry format only: password of " + SSL_TRUSTSTORE_LOCATION + ", if it has one.")
            .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", ConfigDef.ValidString.in("JKS", "PKCS12"),
                    Importance.LOW, "Registry format only: format of " + SSL_TRUSTSTORE_LOCATION + ".");

    /** The keys, their types, defaults and documentation, e.g. for a Kafka Connect converter's {@code config()}. */
    public static ConfigDef configDef() {
        return new ConfigDef(DEFINITION);
    }

    AvroSerdeConfig(Map<String, ?> configs) {
        super(DEFINITION, configs, false);
    }
}
