package io.emostream.connect;

import io.emostream.schemas.serde.AvroSerdeConfig;
import io.emostream.schemas.serde.GenericAvroSerde;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

import java.util.Map;

/**
 * Kafka Connect {@link Converter} for emostream's Avro records, in either wire format: Avro single-object
 * encoding (the default, no registry) and the Confluent schema-registry format. Configured like the serdes
 * ({@link AvroSerdeConfig}: {@code schema.registry.url}, {@code auto.register.schemas},
 * {@code schema.registry.request.timeout.ms}, {@code avro.schema.history.dirs}, the registry's
 * {@code basic.auth.*} credentials and {@code schema.registry.ssl.truststore.*}), under the worker's or the
 * connector's {@code value.converter.} (or {@code key.converter.}) prefix:
 * <pre>
 * value.converter=io.emostream.connect.AvroConverter
 * value.converter.schema.registry.url=http://registry:8081   # only for the registry format
 * </pre>
 * Reading ({@link GenericAvroSerde}): every record of the contract, in any version the schema history knows, is
 * read as the current version of its schema and mapped to a Connect struct ({@link ConnectSchemas} says how);
 * mapped schemas are cached by fingerprint. Bytes that are not such a record raise {@link DataException} naming the
 * problem, so the worker's {@code errors.tolerance} and dead-letter queue apply.
 * <p>
 * Writing: a struct goes back to Avro, with exactly its original schema when it came from this converter (records
 * keep their fingerprint, so emostream's readers read them), so source connectors and single message transforms
 * can produce emostream records.
 */
public final class AvroConverter implements Converter {
    private final GenericAvroSerde serde = new GenericAvroSerde();
    private final ConnectSchemas schemas = new ConnectSchemas();

    @Override
    public ConfigDef config() {
        return AvroSerdeConfig.configDef();
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serde.configure(configs, isKey);
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (value == null) return null;
        if (schema == null) {
            throw new DataException("cannot write a value without a schema to topic " + topic + " as Avro: "
                    + AvroConverter.class.getSimpleName() + " needs structs with schemas (use a converter or source "
                    + "connector that gives records schemas)");
        }
        if (schema.type() != Schema.Type.STRUCT) {
            throw new DataException("cannot write a " + schema.type() + " to topic " + topic + " as Avro: "
                    + AvroConverter.class.getSimpleName() + " writes records, i.e. Connect structs");
        }
        ConnectSchema.validateValue(schema, value);
        org.apache.avro.Schema avro = schemas.toAvro(schema);
        try {
            return serde.serialize(topic, (GenericRecord) ConnectValues.toAvro(avro, schema, value));
        } catch (SerializationException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) return SchemaAndValue.NULL;
        GenericRecord record;
        try {
            record = serde.deserialize(topic, value);
        } catch (SerializationException e) {
            throw new DataException(e.getMessage(), e);
        }
        Schema schema = schemas.toConnect(record.getSchema());
        return new SchemaAndValue(schema, ConnectValues.toConnect(schema, record.getSchema(), record));
    }

    @Override
    public void close() {
        serde.close();
    }
}
