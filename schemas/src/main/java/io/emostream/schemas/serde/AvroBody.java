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
import java.util.function.Function;

/**
 * What every emostream serde does around the Avro binary body of a record: a wire-format header in front of it,
 * decoding bounded by the bytes there, resolution of the writer schema to the reader's, and failures that name the
 * problem.
 */
final class AvroBody {
    private AvroBody() { }

    /** The header that names {@code schema}, then {@code record} in Avro binary; a failure names both. */
    static <T> byte[] write(WireFormats formats, String topic, Schema schema, DatumWriter<T> writer, T record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            formats.forWriting().writeHeader(topic, schema, out);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (Exception e) {
            throw new SerializationException("cannot write " + schema.getName() + " to topic " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code what} from {@code topic}: the header names the writer schema, {@code readerFor} gives the reader
     * of that schema, which must consume exactly the bytes after the header. A failure says why in words.
     */
    static <T> T read(WireFormats formats, String topic, byte[] bytes, String what,
                      Function<Schema, DatumReader<T>> readerFor) {
        try {
            WireFormat format = formats.forReading(bytes);
            DatumReader<T> reader = readerFor.apply(format.writerSchema(topic, bytes));
            int headerLength = format.headerLength();
            BoundedDecoder decoder = new BoundedDecoder(bytes, headerLength, bytes.length - headerLength);
            T record = reader.read(null, decoder);
            if (decoder.remaining() > 0) {
                throw new BoundedDecoder.MalformedRecordException(decoder.remaining() + " bytes left over after the "
                        + "record: corrupt, or not written with the schema its header names");
            }
            return record;
        } catch (Exception e) {
            throw readFailure(what, topic, bytes, e);
        }
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
    private static SerializationException readFailure(String what, String topic, byte[] bytes, Exception e) {
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
