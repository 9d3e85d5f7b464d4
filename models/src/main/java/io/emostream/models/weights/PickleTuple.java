package io.emostream.models.weights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A Python tuple from the pickle; kept apart from lists because the tensor rebuild arguments are tuples. */
record PickleTuple(List<Object> items) {
    PickleTuple {
        items = Collections.unmodifiableList(new ArrayList<>(items)); // None is null, so not List.copyOf
    }

    int size() { return items.size(); }

    Object get(int i) { return items.get(i); }
}
