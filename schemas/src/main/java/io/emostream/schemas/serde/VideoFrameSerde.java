package io.emostream.schemas.serde;

import io.emostream.schemas.VideoFrame;

/** Serde for {@link VideoFrame}; configurable by class name, e.g. {@code default.value.serde=io.emostream.schemas.serde.VideoFrameSerde}. */
public final class VideoFrameSerde extends AvroSerde<VideoFrame> {
    public VideoFrameSerde() {
        super(VideoFrame.class);
    }
}
