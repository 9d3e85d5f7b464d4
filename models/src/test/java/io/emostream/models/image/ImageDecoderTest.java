package io.emostream.models.image;

import io.emostream.models.fixtures.Images;
import io.emostream.models.image.InvalidImageException.Reason;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

    private static byte[] jpeg(int width, int height) {
        try (MatImage image = Images.uniform(width, height, 10, 120, 240)) {
            return Images.encode(image, ".jpg");
        }
    }

    /** Offset of the SOF0 height field in an OpenCV-written baseline JPEG. */
    private static int sofDimensions(byte[] jpeg) {
        for (int i = 2; i + 9 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                return i + 5;
            }
        }
        throw new AssertionError("no SOF0 in the test JPEG");
    }

    @Test
    void decodesJpegAndPngAtTheirHeaderSize() throws Exception {
        try (DecodedImage image = decoder.decode(jpeg(64, 48), ImageFormat.JPEG, 64, 48)) {
            assertEquals(64, image.width());
            assertEquals(48, image.height());
        }
        byte[] png;
        try (MatImage source = Images.uniform(31, 17, 1, 2, 3)) {
            png = Images.encode(source, ".png");
        }
        try (DecodedImage image = decoder.decode(png, ImageFormat.PNG, 0, 0)) {
            assertEquals(31, image.width());
            assertEquals(17, image.height());
        }
    }

    @Test
    void smallJpegClaiming40000x40000IsRefusedBeforeDecoding() {
        byte[] bytes = jpeg(16, 16);
        int at = sofDimensions(bytes);
        bytes[at] = (byte) (40000 >> 8);
        bytes[at + 1] = (byte) 40000;
        bytes[at + 2] = (byte) (40000 >> 8);
        bytes[at + 3] = (byte) 40000;
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> decoder.decode(bytes, ImageFormat.JPEG, 0, 0));
        assertTrue(e.getMessage().contains("40000x40000") && e.getMessage().contains("over the limit"), e.getMessage());
        assertEquals(Reason.OVERSIZE, e.reason());
    }

    @Test
    void pngHeaderOverTheLimitIsRefused() {
        byte[] png;
        try (MatImage source = Images.uniform(8, 8, 1, 2, 3)) {
            png = Images.encode(source, ".png");
        }
        png[16] = 0; png[17] = 0; png[18] = (byte) 0x9C; png[19] = 0x40; // width 40000
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> decoder.decode(png, ImageFormat.PNG, 0, 0));
        assertTrue(e.getMessage().contains("40000x8"), e.getMessage());
        assertEquals(Reason.OVERSIZE, e.reason());
    }

    @Test
    void truncatedJpegIsRefused() {
        byte[] whole = jpeg(64, 64);
        byte[] half = Arrays.copyOf(whole, whole.length / 2);
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> decoder.decode(half, ImageFormat.JPEG, 64, 64));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(Reason.CORRUPT, e.reason());
    }

    private Reason refusal(byte[] bytes, ImageFormat format, int declaredWidth, int declaredHeight) {
        return assertThrows(InvalidImageException.class,
                () -> decoder.decode(bytes, format, declaredWidth, declaredHeight)).reason();
    }

    @Test
    void garbageIsRefusedAsNotOfItsDeclaredEncoding() {
        assertEquals(Reason.ENCODING_MISMATCH, refusal(new byte[] {1, 2, 3, 4, 5}, ImageFormat.JPEG, 0, 0));
        assertEquals(Reason.ENCODING_MISMATCH, refusal(new byte[40], ImageFormat.PNG, 0, 0));
        assertEquals(Reason.ENCODING_MISMATCH, refusal(jpeg(8, 8), ImageFormat.PNG, 8, 8));
    }

    @Test
    void emptyOrCutShortBytesAreRefusedAsCorrupt() {
        byte[] png;
        try (MatImage source = Images.uniform(8, 8, 1, 2, 3)) {
            png = Images.encode(source, ".png");
        }
        assertEquals(Reason.CORRUPT, refusal(new byte[0], ImageFormat.RAW_BGR24, 1, 1));
        assertEquals(Reason.CORRUPT, refusal(Arrays.copyOf(png, 20), ImageFormat.PNG, 0, 0));
        assertEquals(Reason.CORRUPT, refusal(Arrays.copyOf(png, png.length - 12), ImageFormat.PNG, 0, 0));
        assertEquals(Reason.CORRUPT, refusal(new byte[] {(byte) 0xFF, (byte) 0xD8, 0}, ImageFormat.JPEG, 0, 0));
    }

    @Test
    void declaredSizeMustMatchTheHeader() {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> decoder.decode(jpeg(64, 48), ImageFormat.JPEG, 640, 480));
        assertTrue(e.getMessage().contains("640x480") && e.getMessage().contains("64x48"), e.getMessage());
        assertEquals(Reason.SIZE_MISMATCH, e.reason());
    }

    @Test
    void rawFrameMustBeExactlyWidthTimesHeightTimesThreeBytes() throws Exception {
        byte[] pixels = new byte[4 * 2 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        try (DecodedImage image = decoder.decode(pixels, ImageFormat.RAW_BGR24, 4, 2)) {
            byte[] back = new byte[pixels.length];
            ((MatImage) image).mat().data().get(back);
            assertArrayEquals(pixels, back);
        }
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> decoder.decode(Arrays.copyOf(pixels, 23), ImageFormat.RAW_BGR24, 4, 2));
        assertTrue(e.getMessage().contains("must be 24 bytes, got 23"), e.getMessage());
        assertEquals(Reason.SIZE_MISMATCH, e.reason());
        assertEquals(Reason.SIZE_MISMATCH, refusal(pixels, ImageFormat.RAW_BGR24, 0, 0), "raw needs a declared size");
    }

    @Test
    void bytesOverTheLimitAreRefused() {
        ImageDecoder small = new ImageDecoder(new ImageLimits(100, 100, 10_000, 1000));
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> small.decode(new byte[1001], ImageFormat.JPEG, 0, 0));
        assertTrue(e.getMessage().contains("1001 bytes"), e.getMessage());
        assertEquals(Reason.OVERSIZE, e.reason());
    }
}
