package io.emostream.ingest;

import io.emostream.schemas.ImageEncoding;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameEncoderTest {

    @Test
    void longerSideIsCappedAndAspectKept() {
        assertArrayEquals(new int[]{1280, 720}, FrameEncoder.targetSize(1920, 1080, 1280));
        assertArrayEquals(new int[]{360, 640}, FrameEncoder.targetSize(1080, 1920, 640));
        assertArrayEquals(new int[]{320, 240}, FrameEncoder.targetSize(320, 240, 1280), "never enlarged");
        assertArrayEquals(new int[]{100, 1}, FrameEncoder.targetSize(10000, 10, 100), "at least one pixel");
    }

    @Test
    void jpegDecodesToTheResizedSize() {
        assertDecodedSize(ImageEncoding.JPEG, 640, 360, 320, 180);
    }

    @Test
    void pngDecodesToTheResizedSizeWithExactPixels() {
        try (Mat image = new Mat(240, 320, CV_8UC3, new Scalar(10, 20, 30, 0))) {
            EncodedImage png = new FrameEncoder(1280, ImageEncoding.PNG, 85).encode(image);
            try (Mat bytes = new Mat(new BytePointer(png.bytes())); Mat decoded = imdecode(bytes, IMREAD_COLOR)) {
                assertEquals(320, decoded.cols());
                BytePointer data = decoded.data();
                assertEquals(10, data.get(0) & 0xff);
                assertEquals(20, data.get(1) & 0xff);
                assertEquals(30, data.get(2) & 0xff);
            }
        }
    }

    @Test
    void rawBgrHasThreeBytesPerPixelInBgrOrder() {
        try (Mat image = new Mat(360, 640, CV_8UC3, new Scalar(1, 2, 3, 0))) {
            EncodedImage raw = new FrameEncoder(320, ImageEncoding.RAW_BGR24, 85).encode(image);
            assertEquals(320, raw.width());
            assertEquals(180, raw.height());
            assertEquals(320 * 180 * 3, raw.bytes().length);
            assertArrayEquals(new byte[]{1, 2, 3}, java.util.Arrays.copyOf(raw.bytes(), 3));
        }
    }

    @Test
    void nonBgrImageIsRejected() {
        try (Mat grey = new Mat(10, 10, CV_8UC1)) {
            assertThrows(IllegalArgumentException.class, () -> new FrameEncoder(1280, ImageEncoding.JPEG, 85).encode(grey));
        }
    }

    private static void assertDecodedSize(ImageEncoding encoding, int w, int h, int expectW, int expectH) {
        try (Mat image = new Mat(h, w, CV_8UC3, new Scalar(0, 128, 255, 0))) {
            EncodedImage encoded = new FrameEncoder(Math.max(expectW, expectH), encoding, 90).encode(image);
            assertEquals(expectW, encoded.width());
            assertEquals(expectH, encoded.height());
            try (Mat bytes = new Mat(new BytePointer(encoded.bytes())); Mat decoded = imdecode(bytes, IMREAD_COLOR)) {
                assertEquals(expectW, decoded.cols());
                assertEquals(expectH, decoded.rows());
            }
        }
    }
}
