package io.emostream.schemas.serde;

import org.apache.avro.Schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** How a record's bytes name their writer schema: a header in front of the Avro binary body. */
interface WireFormat {
    /** Writes the header that names {@code schema} for a record bound for {@code topic}. */
    void writeHeader(String topic, Schema schema, ByteArrayOutputStream out) throws IOException;

    /** Reads the header at the start of {@code bytes} and returns the writer schema it names. */
    Schema writerSchema(String topic, byte[] bytes) throws IOException;

    /** Length of the header; the Avro body starts there. */
    int headerLength();
}
