package io.emostream.connect;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Avro schemas to Kafka Connect schemas and back.
 * <ul>
 *   <li>record: struct named with the record's full name; field docs (else the type's doc) as schema docs; field
 *       defaults as schema defaults, except defaults holding a record (Connect checks a default struct against the
 *       very schema being built, which cannot exist yet);</li>
 *   <li>array, map (string keys), string, bytes, int, long, float, double, boolean: the same Connect type;</li>
 *   <li>{@code ["null", T]} (either order): T, optional; other unions, fixed and null have no Connect type;</li>
 *   <li>enum: string, with the enum's full name and symbols as the schema parameters {@value #ENUM_NAME} and
 *       {@value #ENUM_SYMBOLS} (comma-separated), so that it can be written back;</li>
 *   <li>long with logical type timestamp-millis: Connect {@link Timestamp}; other logical types: their underlying
 *       type.</li>
 * </ul>
 * Back to Avro, INT8 and INT16 widen to int; a struct without a name becomes a record named after its place
 * ({@code ConnectRecord}, {@code ConnectRecord_field}), so its fingerprint is new to readers. A Connect schema that
 * came from an Avro schema maps back to exactly that schema, so records written back keep their fingerprint.
 * Both directions are cached: Avro schemas by fingerprint, Connect schemas by equality. Thread-safe.
 */
final class ConnectSchemas {
    static final String ENUM_NAME = "io.emostream.avro.enum";
    static final String ENUM_SYMBOLS = "io.emostream.avro.enum.symbols";
    private static final String UNNAMED_RECORD = "ConnectRecord";
    /** Past this many schemas a cache starts over: schemas are few, unless something makes one per record. */
    private static final int CACHE_LIMIT = 1_000;

    private final Map<org.apache.avro.Schema, Long> fingerprints = new ConcurrentHashMap<>();
    private final Map<Long, Schema> connectByFingerprint = new ConcurrentHashMap<>();
    private final Map<Schema, org.apache.avro.Schema> avroByConnect = new ConcurrentHashMap<>();

    /** The Connect schema of records written with {@code avro}. */
    Schema toConnect(org.apache.avro.Schema avro) {
        // Avro schemas cache their hash code, so this lookup is cheap; the fingerprint is computed once per schema.
        Long fingerprint = fingerprints.get(avro);
        if (fingerprint == null) {
            fingerprint = SchemaNormalization.parsingFingerprint64(avro);
            bounded(fingerprints).put(avro, fingerprint);
        }
        Schema cached = connectByFingerprint.get(fingerprint);
        if (cached != null) return cached;
        Schema connect = connectSchema(avro, null).build();
        bounded(connectByFingerprint).put(fingerprint, connect);
        bounded(avroByConnect).put(connect, avro);
        return connect;
    }

    /** The Avro schema to write records of {@code connect} with. */
    org.apache.avro.Schema toAvro(Schema connect) {
        org.apache.avro.Schema cached = avroByConnect.get(connect);
        if (cached != null) return cached;
        org.apache.avro.Schema avro = new AvroBuilder().schema(connect, UNNAMED_RECORD);
        bounded(avroByConnect).put(connect, avro);
        return avro;
    }

    private static <K, V> Map<K, V> bounded(Map<K, V> cache) {
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        return cache;
    }

    /** @param doc the documentation to give the schema; null: the type's own (records and enums have one) */
    private static SchemaBuilder connectSchema(org.apache.avro.Schema avro, String doc) {
        SchemaBuilder schema = switch (avro.getType()) {
            case RECORD -> {
                SchemaBuilder struct = SchemaBuilder.struct().name(avro.getFullName());
                for (org.apache.avro.Schema.Field field : avro.getFields()) {
                    struct.field(field.name(), fieldSchema(field));
                }
                yield struct;
            }
            case ARRAY -> SchemaBuilder.array(connectSchema(avro.getElementType(), null).build());
            case MAP -> SchemaBuilder.map(Schema.STRING_SCHEMA, connectSchema(avro.getValueType(), null).build());
            case UNION -> connectSchema(optionalBranch(avro), doc).optional();
            case ENUM -> SchemaBuilder.string()
                    .parameter(ENUM_NAME, avro.getFullName())
                    .parameter(ENUM_SYMBOLS, String.join(",", avro.getEnumSymbols()));
            case STRING -> SchemaBuilder.string();
            case BYTES -> SchemaBuilder.bytes();
            case INT -> SchemaBuilder.int32();
            case LONG -> avro.getLogicalType() instanceof LogicalTypes.TimestampMillis
                    ? Timestamp.builder() : SchemaBuilder.int64();
            case FLOAT -> SchemaBuilder.float32();
            case DOUBLE -> SchemaBuilder.float64();
            case BOOLEAN -> SchemaBuilder.bool();
            case FIXED, NULL -> throw new DataException("Avro type " + avro.getType() + " (" + avro
                    + ") has no Kafka Connect mapping");
        };
        boolean named = avro.getType() == org.apache.avro.Schema.Type.RECORD
                || avro.getType() == org.apache.avro.Schema.Type.ENUM;
        String effectiveDoc = doc != null ? doc : named ? avro.getDoc() : null;
        // a union's branch has set it already
        if (effectiveDoc != null && schema.doc() == null) schema.doc(effectiveDoc);
        return schema;
    }

    private static SchemaBuilder fieldSchema(org.apache.avro.Schema.Field field) {
        SchemaBuilder schema = connectSchema(field.schema(), field.doc());
        Object avroDefault = field.hasDefaultValue() ? GenericData.get().getDefaultValue(field) : null;
        if (avroDefault != null && !holdsRecord(field.schema())) {
            schema.defaultValue(ConnectValues.toConnect(schema, field.schema(), avroDefault));
        }
        return schema;
    }

    private static boolean holdsRecord(org.apache.avro.Schema avro) {
        return switch (avro.getType()) {
            case RECORD -> true;
            case ARRAY -> holdsRecord(avro.getElementType());
            case MAP -> holdsRecord(avro.getValueType());
            case UNION -> avro.getTypes().stream().anyMatch(ConnectSchemas::holdsRecord);
            default -> false;
        };
    }

    /** The T of {@code ["null", T]} or {@code [T, "null"]}. */
    static org.apache.avro.Schema optionalBranch(org.apache.avro.Schema union) {
        List<org.apache.avro.Schema> types = union.getTypes();
        if (types.size() == 2 && types.get(0).getType() == org.apache.avro.Schema.Type.NULL) return types.get(1);
        if (types.size() == 2 && types.get(1).getType() == org.apache.avro.Schema.Type.NULL) return types.get(0);
        throw new DataException("Avro union " + union + " has no Kafka Connect mapping: only [\"null\", T] "
                + "(an optional T) has one");
    }

    /** Builds one Avro schema from a Connect schema, defining each named type once and referring to it after. */
    private static final class AvroBuilder {
        private final Map<String, org.apache.avro.Schema> named = new HashMap<>();
        private final Map<String, Schema> namedFrom = new HashMap<>();

        org.apache.avro.Schema schema(Schema connect, String place) {
            org.apache.avro.Schema avro = required(connect, place);
            if (!connect.isOptional()) return avro;
            Object connectDefault = connect.defaultValue();
            // Avro takes a union's default from its first branch: null first unless there is another default.
            return connectDefault == null
                    ? org.apache.avro.Schema.createUnion(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL), avro)
                    : org.apache.avro.Schema.createUnion(avro, org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL));
        }

        private org.apache.avro.Schema required(Schema connect, String place) {
            return switch (connect.type()) {
                case STRUCT -> record(connect, place);
                case ARRAY -> org.apache.avro.Schema.createArray(schema(connect.valueSchema(), place + "_item"));
                case MAP -> {
                    if (connect.keySchema().type() != Schema.Type.STRING) {
                        throw new DataException("a map with " + connect.keySchema().type() + " keys at " + place
                                + " has no Avro mapping: Avro map keys are strings");
                    }
                    yield org.apache.avro.Schema.createMap(schema(connect.valueSchema(), place + "_value"));
                }
                case STRING -> connect.parameters() != null && connect.parameters().containsKey(ENUM_NAME)
                        ? enumSchema(connect) : org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
                case BYTES -> primitive(connect, org.apache.avro.Schema.Type.BYTES);
                case INT8, INT16, INT32 -> primitive(connect, org.apache.avro.Schema.Type.INT);
                case INT64 -> Timestamp.LOGICAL_NAME.equals(connect.name())
                        ? LogicalTypes.timestampMillis().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG))
                        : primitive(connect, org.apache.avro.Schema.Type.LONG);
                case FLOAT32 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
                case FLOAT64 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
                case BOOLEAN -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
            };
        }

        /** A primitive, refusing Connect's logical types other than Timestamp (Date, Time, Decimal). */
        private static org.apache.avro.Schema primitive(Schema connect, org.apache.avro.Schema.Type type) {
            if (connect.name() != null && connect.name().startsWith("org.apache.kafka.connect.data.")) {
                throw new DataException("Connect logical type " + connect.name() + " has no Avro mapping here; "
                        + "of Connect's logical types only Timestamp (as timestamp-millis) has one");
            }
            return org.apache.avro.Schema.create(type);
        }

        private org.apache.avro.Schema record(Schema connect, String place) {
            String name = avroName(connect.name() != null ? connect.name() : place);
            org.apache.avro.Schema known = known(name, connect);
            if (known != null) return known;
            int dot = name.lastIndexOf('.');
            org.apache.avro.Schema record = org.apache.avro.Schema.createRecord(name.substring(dot + 1),
                    connect.doc(), dot < 0 ? null : name.substring(0, dot), false);
            named.put(name, record);
            List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
            String fieldPlace = name.substring(dot + 1);
            for (Field field : connect.fields()) {
                org.apache.avro.Schema fieldSchema = schema(field.schema(), fieldPlace + "_" + field.name());
                fields.add(new org.apache.avro.Schema.Field(field.name(), fieldSchema, field.schema().doc(),
                        fieldDefault(field.schema(), fieldSchema)));
            }
            record.setFields(fields);
            return record;
        }

        private org.apache.avro.Schema enumSchema(Schema connect) {
            String name = avroName(connect.parameters().get(ENUM_NAME));
            org.apache.avro.Schema known = known(name, connect);
            if (known != null) return known;
            String symbols = connect.parameters().get(ENUM_SYMBOLS);
            if (symbols == null || symbols.isEmpty()) {
                throw new DataException("the enum string " + name + " has no " + ENUM_SYMBOLS + " parameter");
            }
            int dot = name.lastIndexOf('.');
            org.apache.avro.Schema avro = org.apache.avro.Schema.createEnum(name.substring(dot + 1), connect.doc(),
                    dot < 0 ? null : name.substring(0, dot), Arrays.asList(symbols.split(",")));
            named.put(name, avro);
            return avro;
        }

        /** The type already defined under {@code name}; one name cannot stand for two types in Avro. */
        private org.apache.avro.Schema known(String name, Schema connect) {
            Schema earlier = namedFrom.putIfAbsent(name, connect);
            if (earlier == null) return null;
            if (!sameType(earlier, connect)) {
                throw new DataException("two different Connect schemas are named " + name + "; Avro needs one "
                        + "type per name");
            }
            return named.get(name);
        }

        private static boolean sameType(Schema a, Schema b) {
            return a.type() == b.type() && (a.type() == Schema.Type.STRUCT ? a.fields().equals(b.fields())
                    : Objects.equals(a.parameters(), b.parameters()));
        }

        /** The Avro default of a field, as Avro's Field constructor takes it (JSON-like values). */
        private static Object fieldDefault(Schema connect, org.apache.avro.Schema avro) {
            Object value = connect.defaultValue();
            if (value == null) return connect.isOptional() ? JsonProperties.NULL_VALUE : null;
            org.apache.avro.Schema branch = avro.getType() == org.apache.avro.Schema.Type.UNION
                    ? ConnectSchemas.optionalBranch(avro) : avro;
            return ConnectValues.toJsonDefault(branch, connect, value);
        }

        /** A valid Avro full name: letters, digits and underscores in dot-separated parts. */
        private static String avroName(String name) {
            StringBuilder out = new StringBuilder();
            for (String part : name.split("\\.", -1)) {
                if (!out.isEmpty()) out.append('.');
                String clean = part.replaceAll("[^A-Za-z0-9_]", "_");
                out.append(clean.isEmpty() || Character.isDigit(clean.charAt(0)) ? "_" + clean : clean);
            }
            return out.toString();
        }
    }
}
