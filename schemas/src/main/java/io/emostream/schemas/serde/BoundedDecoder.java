package io.emostream.schemas.serde;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Avro binary decoding of one record held in memory, refusing any length or item count that claims more than the
 * bytes left. Avro 1.12.1's {@code BinaryDecoder} allocates a {@code bytes} or {@code string} buffer of the length
 * the data claims before reading it (a corrupt 2 GB length prefix is an OutOfMemoryError) and pre-sizes arrays by
 * the claimed count; its only limits are JVM-wide system properties. Here the record itself is the bound: nothing
 * is allocated that the remaining bytes could not fill. Arrays of zero-byte items (null, empty records) longer than
 * the remaining bytes are refused as well; the emostream schemas have none.
 */
final class BoundedDecoder extends Decoder {
    private final ByteArrayInputStream in;
    private final BinaryDecoder binary;

    BoundedDecoder(byte[] bytes, int offset, int length) {
        this.in = new ByteArrayInputStream(bytes, offset, length);
        // Unbuffered, so that in.available() is exactly the number of bytes not yet decoded.
        this.binary = DecoderFactory.get().directBinaryDecoder(in, null);
    }

    /** Bytes not yet decoded. */
    int remaining() {
        return in.available();
    }

    private int checkedLength(String what) throws IOException {
        long length = binary.readLong();
        if (length < 0) {
            throw new MalformedRecordException(what + " has a negative length (" + length + ")");
        }
        if (length > remaining()) {
            throw new MalformedRecordException(what + " claims " + length + " bytes but only " + remaining()
                    + " remain in the record (truncated, a corrupt length prefix, or not written with this schema)");
        }
        return (int) length;
    }

    private long checkedCount(String what, long count) throws IOException {
        if (count > remaining()) {
            throw new MalformedRecordException(what + " claims " + count + " items but only " + remaining()
                    + " bytes remain in the record (truncated, a corrupt count, or not written with this schema)");
        }
        return count;
    }

    /** A length-prefixed run of bytes, allocated only once the record is known to hold them. */
    private byte[] readChecked(String what) throws IOException {
        byte[] bytes = new byte[checkedLength(what)];
        binary.readFixed(bytes);
        return bytes;
    }

    @Override
    public String readString() throws IOException {
        return new String(readChecked("a string"), StandardCharsets.UTF_8);
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        return new Utf8(readChecked("a string"));
    }

    @Override
    public void skipString() throws IOException {
        binary.skipFixed(checkedLength("a string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return ByteBuffer.wrap(readChecked("a bytes field"));
    }

    @Override
    public void skipBytes() throws IOException {
        binary.skipFixed(checkedLength("a bytes field"));
    }

    @Override
    public long readArrayStart() throws IOException {
        return checkedCount("an array", binary.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return checkedCount("an array block", binary.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        return checkedCount("an array block", binary.skipArray());
    }

    @Override
    public long readMapStart() throws IOException {
        return checkedCount("a map", binary.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return checkedCount("a map block", binary.mapNext());
    }

    @Override
    public long skipMap() throws IOException {
        return checkedCount("a map block", binary.skipMap());
    }

    @Override
    public void readNull() throws IOException {
        binary.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return binary.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return binary.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return binary.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return binary.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return binary.readDouble();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        binary.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        binary.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return binary.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return binary.readIndex();
    }

    /** The record's bytes contradict its schema: a length, count or value that cannot be right. */
    static final class MalformedRecordException extends IOException {
        MalformedRecordException(String message) {
            super(message);
        }
    }
}
