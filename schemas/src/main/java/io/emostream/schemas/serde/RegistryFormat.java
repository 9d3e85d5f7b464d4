package io.emostream.schemas.serde;

import org.apache.avro.Schema;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The Confluent schema-registry wire format: magic byte 0, the schema id (4 bytes, big-endian), then the Avro
 * binary record. Subjects follow Confluent's default TopicNameStrategy: {@code <topic>-value} or {@code <topic>-key}.
 */
final class RegistryFormat implements WireFormat {
    static final byte MAGIC = 0;
    static final int HEADER_LENGTH = 5;

    private final SchemaRegistryClient registry;
    private final boolean isKey;
    private final boolean autoRegister;

    RegistryFormat(SchemaRegistryClient registry, boolean isKey, boolean autoRegister) {
        this.registry = registry;
        this.isKey = isKey;
        this.autoRegister = autoRegister;
    }

    String subject(String topic) {
        return topic + (isKey ? "-key" : "-value");
    }

    @Override
    public void writeHeader(String topic, Schema schema, ByteArrayOutputStream out) {
        int id = registry.idFor(subject(topic), schema, autoRegister);
        out.write(MAGIC);
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(id >>> shift);
        }
    }

    @Override
    public Schema writerSchema(String topic, byte[] bytes) throws IOException {
        if (bytes.length < HEADER_LENGTH) {
            throw new EOFException(bytes.length + " bytes, fewer than the " + HEADER_LENGTH
                    + "-byte schema-registry header");
        }
        int id = ((bytes[1] & 0xFF) << 24) | ((bytes[2] & 0xFF) << 16) | ((bytes[3] & 0xFF) << 8) | (bytes[4] & 0xFF);
        return registry.schemaById(id);
    }

    @Override
    public int headerLength() {
        return HEADER_LENGTH;
    }
}
