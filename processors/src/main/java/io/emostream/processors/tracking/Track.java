package io.emostream.processors.tracking;

/** One object followed across a camera's frames: its id, class, filtered box and match history. */
public final class Track {
    private final long id;
    private final int classId;
    private final String label;
    private final long startMs;
    private final BoxFilter filter;
    private float score;
    private boolean confirmed;
    private int hits;
    private int misses;
    private long lastHitMs;

    public Track(long id, int classId, String label, float score, boolean confirmed, int hits, int misses,
                 long startMs, long lastHitMs, BoxFilter filter) {
        this.id = id;
        this.classId = classId;
        this.label = label;
        this.score = score;
        this.confirmed = confirmed;
        this.hits = hits;
        this.misses = misses;
        this.startMs = startMs;
        this.lastHitMs = lastHitMs;
        this.filter = filter;
    }

    /** A tentative track started by one detection; confirmed at once when {@code confirmHits} is 1. */
    static Track start(long id, Observation first, long captureMs, TrackerSettings settings) {
        return new Track(id, first.classId(), first.label(), first.score(), settings.confirmHits() <= 1, 1, 0,
                captureMs, captureMs, BoxFilter.start(first.box(), settings));
    }

    void hit(Observation observation, long captureMs, int confirmHits) {
        filter.update(observation.box());
        score = observation.score();
        hits++;
        misses = 0;
        lastHitMs = captureMs;
        confirmed |= hits >= confirmHits;
    }

    void miss() {
        misses++;
    }

    public long id() {
        return id;
    }

    public int classId() {
        return classId;
    }

    public String label() {
        return label;
    }

    /** Score of the last matched detection. */
    public float score() {
        return score;
    }

    public boolean confirmed() {
        return confirmed;
    }

    /** Frames in which the track was matched. */
    public int hits() {
        return hits;
    }

    /** Frames in a row without a match, up to now. */
    public int misses() {
        return misses;
    }

    /** Capture time of the frame that started the track. */
    public long startMs() {
        return startMs;
    }

    /** Capture time of the last match. */
    public long lastHitMs() {
        return lastHitMs;
    }

    public BoxFilter filter() {
        return filter;
    }
}
