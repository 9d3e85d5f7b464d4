package io.emostream.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * What every emostream serde does around the Avro binary body of a record: a wire-format header in front of it,
 * decoding bounded by the bytes there, resolution of the writer schema to the reader's, and failures that name the
 * problem.
 */
final class AvroBody {
    private AvroBody() { }

    /** The header that names {@code schema}, then {@code record} in Avro binary. */
    static <T> byte[] write(WireFormat format, String topic, Schema schema, DatumWriter<T> writer, T record)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        format.writeHeader(topic, schema, out);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Reads the body after the header with {@code reader}, which must consume exactly the bytes there. */
    static <T> T read(byte[] bytes, int headerLength, DatumReader<T> reader) throws IOException {
        BoundedDecoder decoder = new BoundedDecoder(bytes, headerLength, bytes.length - headerLength);
        T record = reader.read(null, decoder);
        if (decoder.remaining() > 0) {
            throw new BoundedDecoder.MalformedRecordException(decoder.remaining() + " bytes left over after the "
                    + "record: corrupt, or not written with the schema its header names");
        }
        return record;
    }

    /** A reader of records written with {@code writer} as {@code reader}, once the two are known to be compatible. */
    @SuppressWarnings("unchecked")
    static <T> DatumReader<T> resolvingReader(GenericData model, Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility pair =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("written as " + writer.getFullName() + " with a schema this reader's "
                    + reader.getFullName() + " cannot read: " + pair.getResult().getIncompatibilities().stream()
                    .map(i -> i.getMessage() + " at " + i.getLocation()).toList());
        }
        return (DatumReader<T>) model.createDatumReader(writer, reader);
    }

    /** The failure to read {@code what} from {@code topic}, saying why in words. */
    static SerializationException readFailure(String what, String topic, byte[] bytes, Exception e) {
        String reason;
        if (e instanceof EOFException) {
            reason = "truncated, the record ends early (" + bytes.length + " bytes in all"
                    + (e.getMessage() == null ? "" : "; " + e.getMessage()) + ")";
        } else if (e instanceof BoundedDecoder.MalformedRecordException || e instanceof SerializationException) {
            reason = e.getMessage();
        } else { // Avro's own complaints, e.g. an enum or union index out of range
            reason = "corrupt record (" + e + ")";
        }
        return new SerializationException("cannot read " + what + " from topic " + topic + ": " + reason, e);
    }
}
