/**
 * The {@code annotate} command's room: reading one camera's frames and results back from the topics
 * ({@link io.emostream.cli.annotate.Annotator}), drawing the results onto the frames with OpenCV
 * ({@link io.emostream.cli.annotate.OverlayPainter}, {@link io.emostream.cli.annotate.ClassPalette}) and writing an
 * H.264 MP4 or JPEG frames.
 */
package io.emostream.cli.annotate;
