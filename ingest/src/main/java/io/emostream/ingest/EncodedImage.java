package io.emostream.ingest;

import io.emostream.schemas.ImageEncoding;

/** An encoded frame ready to publish. */
public record EncodedImage(byte[] bytes, int width, int height, ImageEncoding encoding) { }
