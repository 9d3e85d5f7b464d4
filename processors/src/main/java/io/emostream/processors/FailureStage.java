package io.emostream.processors;

/** Where a frame failed; written to {@code DeadLetter.stage} as {@link #id()}. */
public enum FailureStage {
    /** the value is not a VideoFrame (wrong schema, corrupt bytes, null) */
    DESERIALIZE("deserialize"),
    /** the image bytes are corrupt, over the limits, or not of the declared size or encoding */
    DECODE("decode"),
    /** the detection model failed or did not answer in time */
    DETECT("detect"),
    /** the segmentation model failed or did not answer in time */
    SEGMENT("segment");

    private final String id;

    FailureStage(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
