package io.emostream.models.image;

import io.emostream.models.image.InvalidImageException.Reason;

import java.util.Arrays;

/**
 * The dimensions an encoded image declares in its header, read without decoding: the SOF segment of a JPEG, the IHDR
 * chunk of a PNG. Also checks that the stream ends where the format says it ends (JPEG EOI, PNG IEND), because
 * OpenCV decodes a truncated JPEG into a half-grey frame with only a warning.
 */
record ImageHeader(int width, int height) {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    static ImageHeader read(byte[] b, ImageFormat format) throws InvalidImageException {
        return switch (format) {
            case JPEG -> jpeg(b);
            case PNG -> png(b);
            case RAW_BGR24 -> throw new IllegalArgumentException("raw frames have no header");
        };
    }

    private static ImageHeader jpeg(byte[] b) throws InvalidImageException {
        if (b.length < 2 || u8(b, 0) != 0xFF || u8(b, 1) != 0xD8) {
            throw new InvalidImageException(Reason.ENCODING_MISMATCH, "not a JPEG: the SOI marker (FF D8) is missing");
        }
        int pos = 2;
        while (pos + 4 <= b.length) {
            if (u8(b, pos) != 0xFF) {
                throw new InvalidImageException(Reason.CORRUPT, "corrupt JPEG: no marker at byte " + pos);
            }
            int marker = u8(b, pos + 1);
            if (marker == 0xFF) { // fill byte
                pos++;
                continue;
            }
            int length = u16(b, pos + 2);
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                if (pos + 9 > b.length) {
                    break;
                }
                int height = u16(b, pos + 5);
                int width = u16(b, pos + 7);
                if (!endsWithEoi(b)) {
                    throw new InvalidImageException(Reason.CORRUPT,
                            "truncated JPEG: the EOI marker (FF D9) is missing at the end");
                }
                return new ImageHeader(width, height);
            }
            if (marker == 0xDA || length < 2) {
                throw new InvalidImageException(Reason.CORRUPT,
                        "corrupt JPEG: image data before any frame header (SOF)");
            }
            pos += 2 + length;
        }
        throw new InvalidImageException(Reason.CORRUPT,
                "truncated JPEG: no complete frame header (SOF) in " + b.length + " bytes");
    }

    private static boolean endsWithEoi(byte[] b) {
        int end = b.length;
        while (end > 2 && b[end - 1] == 0) { // some encoders pad with zeros
            end--;
        }
        return end >= 2 && u8(b, end - 2) == 0xFF && u8(b, end - 1) == 0xD9;
    }

    private static ImageHeader png(byte[] b) throws InvalidImageException {
        if (b.length < PNG_SIGNATURE.length
                || !Arrays.equals(b, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
            throw new InvalidImageException(Reason.ENCODING_MISMATCH, "not a PNG: the signature is missing");
        }
        if (b.length < 33) {
            throw new InvalidImageException(Reason.CORRUPT, "truncated PNG: " + b.length
                    + " bytes is shorter than signature + IHDR");
        }
        if (b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new InvalidImageException(Reason.CORRUPT, "corrupt PNG: the first chunk is not IHDR");
        }
        long width = u32(b, 16);
        long height = u32(b, 20);
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new InvalidImageException(Reason.OVERSIZE, "PNG header claims " + width + "x" + height + " pixels");
        }
        int iend = b.length - 8; // the last chunk: length 0, "IEND", CRC
        if (iend < 33 || b[iend] != 'I' || b[iend + 1] != 'E' || b[iend + 2] != 'N' || b[iend + 3] != 'D') {
            throw new InvalidImageException(Reason.CORRUPT, "truncated PNG: the IEND chunk is missing at the end");
        }
        return new ImageHeader((int) width, (int) height);
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }
}
