package io.emostream.models.runtime;

import io.emostream.models.image.FrameMapping;

/**
 * The post-processing half of a translator (in DJL's sense): turns one request's raw outputs into what the caller
 * wants, in the coordinates of its original frame. Implementations are thread-safe.
 *
 * @param <P> the decoded payload, e.g. a list of detections or a run-length mask
 */
@FunctionalInterface
public interface OutputDecoder<P> {
    P decode(RowOutput row, FrameMapping mapping) throws InferenceException;
}
