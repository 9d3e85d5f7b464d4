package io.emostream.models.image;

/**
 * Checked before decoding: a small file that claims 40000x40000 pixels is refused before any pixel is allocated.
 *
 * @param maxWidth  largest accepted width in pixels
 * @param maxHeight largest accepted height in pixels
 * @param maxPixels largest accepted width * height
 * @param maxBytes  largest accepted encoded size in bytes
 */
public record ImageLimits(int maxWidth, int maxHeight, long maxPixels, int maxBytes) {
    /** 8K UHD and 32 MiB: above any camera the product targets. */
    public static final ImageLimits DEFAULT = new ImageLimits(7680, 4320, 7680L * 4320L, 32 * 1024 * 1024);
}
