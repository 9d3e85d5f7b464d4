package io.emostream.topology.http;

import io.emostream.topology.analytics.CameraStatsWindows;
import io.emostream.topology.analytics.CameraStatusBoard;

/**
 * The names of the stores the query API reads: the camera status key-value store and the camera statistics window
 * store, both keyed by camera id.
 */
public record QueryStores(String status, String windows) {
    /** The stores {@link CameraStatusBoard} and {@link CameraStatsWindows} add. */
    public static QueryStores defaults() {
        return new QueryStores(CameraStatusBoard.STATUS_STORE, CameraStatsWindows.WINDOW_STORE);
    }
}
