package io.emostream.models.weights;

import java.util.List;

/**
 * A checkpoint whose tensors do not fit the graph: the names the graph needs and did not get, the checkpoint names
 * nothing in the graph uses, and the tensors whose shape or type is wrong, all in one message.
 */
public class WeightMismatchException extends InvalidCheckpointException {
    private static final int LISTED = 100;

    private final String what;
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> wrongShape;

    WeightMismatchException(String what, List<String> missing, List<String> unexpected, List<String> wrongShape,
                            String hint) {
        super(what + " does not fit the graph:" + part(missing, "missing") + part(unexpected, "unexpected")
                + part(wrongShape, "of the wrong shape or type") + (hint == null ? "" : "; " + hint));
        this.what = what;
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.wrongShape = List.copyOf(wrongShape);
    }

    private static String part(List<String> names, String what) {
        if (names.isEmpty()) {
            return "";
        }
        String listed = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
        String more = names.size() > LISTED ? ", ... and " + (names.size() - LISTED) + " more" : "";
        return " " + names.size() + " " + what + " [" + listed + more + "]";
    }

    /** The same mismatch with a hint on the likely fix appended; this one when the hint is null. */
    public WeightMismatchException withHint(String hint) {
        return hint == null ? this : new WeightMismatchException(what, missing, unexpected, wrongShape, hint);
    }

    /** Graph parameters the checkpoint has no tensor for. */
    public List<String> missing() { return missing; }

    /** Checkpoint tensors (as the graph would name them) that no graph parameter uses. */
    public List<String> unexpected() { return unexpected; }

    /** {@code name: checkpoint float16[3, 4], graph [4, 3]} entries. */
    public List<String> wrongShape() { return wrongShape; }
}
