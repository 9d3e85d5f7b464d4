package io.emostream.processors.stats;

import io.emostream.schemas.serde.CombinedSerde;
import org.apache.kafka.common.errors.SerializationException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Serde, Serializer and Deserializer in one for state kept in a store and its changelog in a small versioned binary
 * format of the state class's own. Internal to the application (nothing outside reads these bytes), so no schema is
 * needed; bad bytes fail with a {@link SerializationException} that says what was wrong.
 */
public abstract class BinaryStateSerde<T> implements CombinedSerde<T> {
    /** Writes one value. */
    protected interface Writer<T> {
        void write(T value, DataOutput out) throws IOException;
    }

    /** Reads one value of at most {@code length} bytes (so no count read from the bytes is trusted beyond it). */
    protected interface Reader<T> {
        T read(DataInput in, int length) throws IOException;
    }

    private final String what;
    private final Writer<T> writer;
    private final Reader<T> reader;

    protected BinaryStateSerde(String what, Writer<T> writer, Reader<T> reader) {
        this.what = what;
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) return null;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(value, out);
        } catch (IOException e) {
            throw new SerializationException("cannot write " + what + ": " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) return null;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            T value = reader.read(in, bytes.length);
            if (in.available() > 0) throw new IOException(in.available() + " bytes left over");
            return value;
        } catch (IOException e) {
            throw new SerializationException("cannot read " + what + " from topic " + topic + " (" + bytes.length
                    + " bytes): " + (e.getMessage() == null ? "truncated" : e.getMessage()), e);
        }
    }
}
