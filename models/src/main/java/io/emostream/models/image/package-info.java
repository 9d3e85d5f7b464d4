/**
 * Frame bytes to images: JPEG, PNG and raw BGR decoding with every size checked before a pixel is allocated, and
 * the mapping between frame and model-input coordinates. Depends on OpenCV (JavaCV) only.
 */
package io.emostream.models.image;
