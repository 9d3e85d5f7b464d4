package io.emostream.processors;

/** Where a record failed; written to {@code DeadLetter.stage} as {@link #id()}. */
public enum FailureStage {
    /** the value is not a VideoFrame (wrong schema, corrupt bytes, null) */
    DESERIALIZE("deserialize"),
    /** the image bytes are corrupt, over the limits, or not of the declared size or encoding */
    DECODE("decode"),
    /** the detection model failed or did not answer in time */
    DETECT("detect"),
    /** the segmentation model failed or did not answer in time */
    SEGMENT("segment"),
    /** a camera-config record is not a CameraConfig, or its zones or lines are invalid */
    CAMERA_CONFIG("camera-config"),
    /** the zone and line analytics rejected a FrameTracks record (e.g. no frame size) */
    ZONES("zones"),
    /** the occupancy rejected a FrameSegmentation record (its mask does not match its size) */
    OCCUPANCY("occupancy");

    private final String id;

    FailureStage(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
