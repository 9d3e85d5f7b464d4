package io.emostream.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;

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
    private volatile WireFormats formats;

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
        formats = WireFormats.configure(configs, isKey, List.of(schema), schema.getFullName(),
                getClass().getClassLoader());
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) return null;
        return AvroBody.write(formats, topic, schema, writer, record);
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) return null;
        return AvroBody.read(formats, topic, bytes, schema.getName(),
                writerSchema -> readers.computeIfAbsent(writerSchema, w -> AvroBody.resolvingReader(model, schema, w)));
    }
}
