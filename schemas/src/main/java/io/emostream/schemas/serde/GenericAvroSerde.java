package io.emostream.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serde of any emostream record as a {@link GenericRecord}, for consumers that do not know in advance which record
 * a topic holds (a Kafka Connect converter, tools). Same wire formats, settings and bad-bytes handling as
 * {@link AvroSerde}.
 * <p>
 * Reading: the writer schema is found from the header (by fingerprint among every schema of {@link AvroContract},
 * the schema history and {@value AvroSerdeConfig#SCHEMA_HISTORY_DIRS}; or by id in the registry), and a record of
 * the contract is resolved to the current version of its schema, so that all versions of a topic read alike: an
 * older {@code DeadLetter} reads with {@code reason = UNKNOWN}. A record the contract does not name (a newer type
 * from a history directory or the registry) reads as written. Values are plain Avro: strings as {@code String},
 * timestamps as epoch-millisecond longs, enums as {@code GenericData.EnumSymbol}, bytes as {@code ByteBuffer}.
 * <p>
 * Writing: each record with its own schema, which a reader must know (the registry format registers it).
 * Thread-safe.
 */
public final class GenericAvroSerde implements CombinedSerde<GenericRecord> {
    /** Its own model: conversions registered on the shared {@code GenericData.get()} would change the values. */
    private static final GenericData MODEL = new GenericData();

    private final Map<Schema, DatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<GenericRecord>> writers = new ConcurrentHashMap<>();
    private volatile WireFormats formats;

    /** Unconfigured: single-object encoding, the classpath schema history. */
    public GenericAvroSerde() {
        configure(Map.of(), false);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        formats = WireFormats.configure(configs, isKey, AvroContract.schemas(), "an emostream record",
                getClass().getClassLoader());
    }

    @Override
    @SuppressWarnings("unchecked")
    public byte[] serialize(String topic, GenericRecord record) {
        if (record == null) return null;
        Schema schema = record.getSchema();
        return AvroBody.write(formats, topic, schema,
                writers.computeIfAbsent(schema, s -> (DatumWriter<GenericRecord>) MODEL.createDatumWriter(s)), record);
    }

    @Override
    public GenericRecord deserialize(String topic, byte[] bytes) {
        if (bytes == null) return null;
        return AvroBody.read(formats, topic, bytes, "an Avro record", writerSchema -> readers.computeIfAbsent(
                writerSchema, w -> AvroBody.resolvingReader(MODEL, AvroContract.current(w.getFullName()).orElse(w),
                        w)));
    }
}
