/**
 * The Avro record classes of the emostream contract ({@code VideoFrame}, {@code FrameDetections},
 * {@code FrameSegmentation}, {@code FrameTracks}, {@code DeadLetter}, ...), generated at build time from
 * {@code schemas/src/main/avro}. Depends on Avro only.
 */
package io.emostream.schemas;
