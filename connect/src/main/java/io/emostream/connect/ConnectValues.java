package io.emostream.connect;

import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import java.nio.ByteBuffer;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values between plain Avro ({@code GenericRecord}, {@code ByteBuffer}, epoch-millisecond longs, enum symbols) and
 * Kafka Connect ({@link Struct}, {@code byte[]}, {@link Date}, strings), along a pair of schemas that
 * {@link ConnectSchemas} maps onto each other.
 */
final class ConnectValues {
    private ConnectValues() { }

    /** The Connect value of the Avro datum {@code value} of schema {@code avro}. */
    static Object toConnect(Schema connect, org.apache.avro.Schema avro, Object value) {
        if (value == null) return null;
        return switch (avro.getType()) {
            case RECORD -> {
                GenericRecord record = (GenericRecord) value;
                Struct struct = new Struct(connect);
                for (org.apache.avro.Schema.Field field : avro.getFields()) {
                    struct.put(field.name(), toConnect(connect.field(field.name()).schema(), field.schema(),
                            record.get(field.pos())));
                }
                yield struct;
            }
            case ARRAY -> ((List<?>) value).stream()
                    .map(item -> toConnect(connect.valueSchema(), avro.getElementType(), item)).toList();
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> map.put(k.toString(),
                        toConnect(connect.valueSchema(), avro.getValueType(), v)));
                yield map;
            }
            case UNION -> toConnect(connect, ConnectSchemas.optionalBranch(avro), value);
            case ENUM, STRING -> value.toString();
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                yield bytes;
            }
            case LONG -> isTimestamp(avro) ? new Date((Long) value) : value;
            case INT, FLOAT, DOUBLE, BOOLEAN -> value;
            case FIXED, NULL -> throw new DataException("Avro type " + avro.getType() + " has no Kafka Connect mapping");
        };
    }

    /** The Avro datum of the Connect value {@code value} of schema {@code connect}. */
    static Object toAvro(org.apache.avro.Schema avro, Schema connect, Object value) {
        return fromConnect(avro, connect, value, AvroForm.DATUM);
    }

    /**
     * A Connect default as Avro's {@code Schema.Field} constructor takes it: JSON-like values (maps for records,
     * lists, strings for enums, byte arrays, boxed numbers).
     */
    static Object toJsonDefault(org.apache.avro.Schema avro, Schema connect, Object value) {
        return fromConnect(avro, connect, value, AvroForm.JSON_DEFAULT);
    }

    /** What a Connect value becomes on the Avro side; the two differ only in records, enums and bytes. */
    private enum AvroForm { DATUM, JSON_DEFAULT }

    private static Object fromConnect(org.apache.avro.Schema avro, Schema connect, Object value, AvroForm form) {
        if (value == null) return null;
        boolean datum = form == AvroForm.DATUM;
        return switch (avro.getType()) {
            case RECORD -> {
                Struct struct = (Struct) value;
                Map<String, Object> fields = new LinkedHashMap<>();
                for (org.apache.avro.Schema.Field field : avro.getFields()) {
                    Field connectField = fieldFor(connect, avro, field.name());
                    fields.put(field.name(), fromConnect(field.schema(), connectField.schema(),
                            struct.get(connectField), form));
                }
                yield datum ? record(avro, fields) : fields;
            }
            case ARRAY -> ((List<?>) value).stream()
                    .map(item -> fromConnect(avro.getElementType(), connect.valueSchema(), item, form)).toList();
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> map.put((String) k,
                        fromConnect(avro.getValueType(), connect.valueSchema(), v, form)));
                yield map;
            }
            case UNION -> fromConnect(ConnectSchemas.optionalBranch(avro), connect, value, form);
            case ENUM -> datum ? new GenericData.EnumSymbol(avro, enumSymbol(avro, (String) value))
                    : enumSymbol(avro, (String) value);
            case BYTES -> datum
                    ? value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value
                    : value instanceof ByteBuffer buffer ? toConnect(connect, avro, buffer) : value;
            case INT -> ((Number) value).intValue();
            case LONG -> value instanceof Date date ? date.getTime() : ((Number) value).longValue();
            case STRING, FLOAT, DOUBLE, BOOLEAN -> value;
            case FIXED, NULL -> throw new DataException("Avro type " + avro.getType() + " has no Kafka Connect mapping");
        };
    }

    private static GenericData.Record record(org.apache.avro.Schema avro, Map<String, Object> fields) {
        GenericData.Record record = new GenericData.Record(avro);
        fields.forEach(record::put);
        return record;
    }

    private static boolean isTimestamp(org.apache.avro.Schema avro) {
        return avro.getLogicalType() instanceof LogicalTypes.TimestampMillis;
    }

    private static Field fieldFor(Schema connect, org.apache.avro.Schema avro, String name) {
        Field field = connect.field(name);
        if (field == null) {
            throw new DataException("the Connect schema " + connect.name() + " has no field " + name
                    + ", which the Avro record " + avro.getFullName() + " needs");
        }
        return field;
    }

    private static String enumSymbol(org.apache.avro.Schema avro, String symbol) {
        if (!avro.hasEnumSymbol(symbol)) {
            throw new DataException("'" + symbol + "' is not a symbol of the Avro enum " + avro.getFullName()
                    + ", whose symbols are " + avro.getEnumSymbols());
        }
        return symbol;
    }
}
