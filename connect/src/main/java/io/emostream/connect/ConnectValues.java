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
        if (value == null) return null;
        return switch (avro.getType()) {
            case RECORD -> {
                Struct struct = (Struct) value;
                GenericData.Record record = new GenericData.Record(avro);
                for (org.apache.avro.Schema.Field field : avro.getFields()) {
                    Field connectField = fieldFor(connect, avro, field.name());
                    record.put(field.pos(), toAvro(field.schema(), connectField.schema(), struct.get(connectField)));
                }
                yield record;
            }
            case ARRAY -> ((List<?>) value).stream()
                    .map(item -> toAvro(avro.getElementType(), connect.valueSchema(), item)).toList();
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> map.put((String) k,
                        toAvro(avro.getValueType(), connect.valueSchema(), v)));
                yield map;
            }
            case UNION -> toAvro(ConnectSchemas.optionalBranch(avro), connect, value);
            case ENUM -> new GenericData.EnumSymbol(avro, enumSymbol(avro, (String) value));
            case STRING, FLOAT, DOUBLE, BOOLEAN -> value;
            case BYTES -> value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
            case INT -> ((Number) value).intValue();
            case LONG -> value instanceof Date date ? date.getTime() : value;
            case FIXED, NULL -> throw new DataException("Avro type " + avro.getType() + " has no Kafka Connect mapping");
        };
    }

    /**
     * A Connect default as Avro's {@code Schema.Field} constructor takes it: JSON-like values (maps for records,
     * lists, strings for enums, byte arrays, boxed numbers).
     */
    static Object toJsonDefault(org.apache.avro.Schema avro, Schema connect, Object value) {
        if (value == null) return null;
        return switch (avro.getType()) {
            case RECORD -> {
                Struct struct = (Struct) value;
                Map<String, Object> record = new LinkedHashMap<>();
                for (org.apache.avro.Schema.Field field : avro.getFields()) {
                    Field connectField = fieldFor(connect, avro, field.name());
                    record.put(field.name(), toJsonDefault(field.schema(), connectField.schema(),
                            struct.get(connectField)));
                }
                yield record;
            }
            case ARRAY -> ((List<?>) value).stream()
                    .map(item -> toJsonDefault(avro.getElementType(), connect.valueSchema(), item)).toList();
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> map.put((String) k,
                        toJsonDefault(avro.getValueType(), connect.valueSchema(), v)));
                yield map;
            }
            case UNION -> toJsonDefault(ConnectSchemas.optionalBranch(avro), connect, value);
            case ENUM -> enumSymbol(avro, (String) value);
            case BYTES -> value instanceof ByteBuffer buffer ? toConnect(connect, avro, buffer) : value;
            case INT -> ((Number) value).intValue();
            case LONG -> value instanceof Date date ? date.getTime() : ((Number) value).longValue();
            case STRING, FLOAT, DOUBLE, BOOLEAN -> value;
            case FIXED, NULL -> throw new DataException("Avro type " + avro.getType() + " has no Kafka Connect mapping");
        };
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
