package io.emostream.models.image;

/** How the bytes handed to {@link ImageDecoder} are encoded. */
public enum ImageFormat { JPEG, PNG, RAW_BGR24 }
