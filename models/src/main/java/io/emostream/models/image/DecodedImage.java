package io.emostream.models.image;

/**
 * A frame decoded once into native memory (BGR, 8 bits per channel), shared by the detection and segmentation
 * pre-processing of that frame. The caller owns it and must close it.
 */
public interface DecodedImage extends AutoCloseable {
    int width();

    int height();

    @Override
    void close();
}
