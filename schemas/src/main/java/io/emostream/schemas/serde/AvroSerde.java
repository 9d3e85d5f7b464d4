package io.emostream.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kafka Serde, Serializer and Deserializer in one for Avro records of one schema, so a single class name serves as
 * {@code default.value.serde}, {@code value.serializer} and {@code value.deserializer}.
 * <p>
 * Wire formats (see {@link AvroSerdeConfig}): Avro single-object encoding by default; the Confluent schema-registry
 * format when {@value AvroSerdeConfig#SCHEMA_REGISTRY_URL} is set. The deserializer reads both, telling them apart
 * by the first byte (C3 or 00), and resolves the writer schema against its own (new fields take their defaults,
 * removed ones are skipped). Bad bytes fail with a {@link SerializationException} that names the problem; no
 * length in the data is trusted beyond the bytes actually there ({@link BoundedDecoder}).
 * <p>
 * Usable unconfigured (single-object, classpath schema history); {@code configure} applies settings. Thread-safe:
 * Kafka Streams shares one instance across stream threads.
 */
public class AvroSerde<T> implements CombinedSerde<T> {
    private final Schema schema;
    private final GenericData model;
    private final DatumWriter<T> writer;
    private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private volatile SingleObjectFormat singleObject;
    private volatile RegistryFormat registry;

    /** Reads and writes {@code schema} with {@code model} (e.g. {@code GenericData.get()} for GenericRecords). */
    @SuppressWarnings("unchecked")
    public AvroSerde(Schema schema, GenericData model) {
        this.schema = schema;
        this.model = model;
        this.writer = (DatumWriter<T>) model.createDatumWriter(schema);
        configure(Map.of(), false);
    }

    /** For a generated SpecificRecord class, with its own model (and so its logical-type conversions). */
    protected AvroSerde(Class<T> recordClass) {
        this(SpecificData.get().getSchema(recordClass), SpecificData.getForClass(recordClass));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        ClassLoader loader = getClass().getClassLoader();
        singleObject = new SingleObjectFormat(SchemaHistory.load(schema,
                config.getList(AvroSerdeConfig.SCHEMA_HISTORY_DIRS), loader), schema);
        List<String> urls = config.getList(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
        registry = urls.isEmpty() ? null : new RegistryFormat(
                new SchemaRegistryClient(urls, Duration.ofMillis(config.getInt(AvroSerdeConfig.SCHEMA_REGISTRY_TIMEOUT_MS))),
                isKey, config.getBoolean(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS));
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) return null;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            WireFormat format = registry != null ? registry : singleObject;
            format.writeHeader(topic, schema, out);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (Exception e) {
            throw new SerializationException("cannot write " + schema.getName() + " to topic " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) return null;
        try {
            if (bytes.length == 0) {
                throw new BoundedDecoder.MalformedRecordException("empty value (0 bytes)");
            }
            RegistryFormat registryFormat = registry;
            WireFormat format = bytes[0] == RegistryFormat.MAGIC && registryFormat != null ? registryFormat : singleObject;
            Schema writerSchema = format.writerSchema(topic, bytes);
            BoundedDecoder decoder = new BoundedDecoder(bytes, format.headerLength(),
                    bytes.length - format.headerLength());
            T record = readerFor(writerSchema).read(null, decoder);
            if (decoder.remaining() > 0) {
                throw new BoundedDecoder.MalformedRecordException(decoder.remaining() + " bytes left over after the "
                        + "record: corrupt, or not written with the schema its header names");
            }
            return record;
        } catch (EOFException e) {
            throw readFailure(topic, "truncated, the record ends early (" + bytes.length + " bytes in all"
                    + (e.getMessage() == null ? "" : "; " + e.getMessage()) + ")", e);
        } catch (BoundedDecoder.MalformedRecordException | SerializationException e) {
            throw readFailure(topic, e.getMessage(), e);
        } catch (Exception e) { // Avro's own complaints, e.g. an enum or union index out of range
            throw readFailure(topic, "corrupt record (" + e + ")", e);
        }
    }

    private SerializationException readFailure(String topic, String reason, Exception cause) {
        return new SerializationException("cannot read " + schema.getName() + " from topic " + topic + ": " + reason,
                cause);
    }

    /** A reader resolving {@code writerSchema} to ours, after checking once that the two are compatible. */
    @SuppressWarnings("unchecked")
    private DatumReader<T> readerFor(Schema writerSchema) {
        return readers.computeIfAbsent(writerSchema, w -> {
            SchemaCompatibility.SchemaPairCompatibility pair =
                    SchemaCompatibility.checkReaderWriterCompatibility(schema, w);
            if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new SerializationException("written as " + w.getFullName() + " with a schema this reader's "
                        + schema.getFullName() + " cannot read: " + pair.getResult().getIncompatibilities().stream()
                        .map(i -> i.getMessage() + " at " + i.getLocation()).toList());
            }
            return (DatumReader<T>) model.createDatumReader(w, schema);
        });
    }
}
