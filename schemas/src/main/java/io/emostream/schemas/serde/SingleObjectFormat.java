package io.emostream.schemas.serde;

import org.apache.avro.Schema;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;

/**
 * Avro single-object encoding: marker bytes C3 01, the writer schema's CRC-64-AVRO fingerprint (8 bytes,
 * little-endian), then the Avro binary record. Readable by anyone holding the writer's .avsc; the reader finds the
 * writer schema by fingerprint in a {@link SchemaHistory}.
 */
final class SingleObjectFormat implements WireFormat {
    static final int HEADER_LENGTH = 10;
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    private final SchemaHistory history;
    private final String readerName;

    /** @param readerName what the reader reads, for messages: a record name */
    SingleObjectFormat(SchemaHistory history, String readerName) {
        this.history = history;
        this.readerName = readerName;
    }

    @Override
    public void writeHeader(String topic, Schema schema, ByteArrayOutputStream out) {
        long fingerprint = SchemaHistory.fingerprint(schema);
        out.write(MARKER_0);
        out.write(MARKER_1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fingerprint >>> (8 * i)));
        }
    }

    @Override
    public Schema writerSchema(String topic, byte[] bytes) throws IOException {
        if ((bytes.length > 0 && bytes[0] != MARKER_0) || (bytes.length > 1 && bytes[1] != MARKER_1)) {
            String start = HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(bytes.length, 4));
            throw new BoundedDecoder.MalformedRecordException("bad header: not Avro single-object encoding "
                    + "(expected marker bytes c3 01, found " + start + ")"
                    + (bytes[0] == 0 ? "; a leading 00 is the schema-registry wire format: set "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL : ""));
        }
        if (bytes.length < HEADER_LENGTH) {
            throw new EOFException(bytes.length + " bytes, fewer than the " + HEADER_LENGTH
                    + "-byte single-object header");
        }
        long fingerprint = 0;
        for (int i = 0; i < 8; i++) {
            fingerprint |= (bytes[2 + i] & 0xFFL) << (8 * i);
        }
        Schema schema = history.findByFingerprint(fingerprint);
        if (schema == null) {
            throw new BoundedDecoder.MalformedRecordException(String.format(
                    "unknown schema fingerprint 0x%016x: the record was written with a schema this reader does not "
                            + "know, most likely a newer version of %s from an upgraded producer (or another record "
                            + "type: wrong serde for this topic?). Add the writer's .avsc to %s, or use the schema "
                            + "registry format", fingerprint, readerName, AvroSerdeConfig.SCHEMA_HISTORY_DIRS));
        }
        return schema;
    }

    @Override
    public int headerLength() {
        return HEADER_LENGTH;
    }
}
