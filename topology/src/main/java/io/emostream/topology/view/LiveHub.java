package io.emostream.topology.view;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one producer of updates per camera and the open pages it feeds: each update is encoded once and offered to
 * every page's {@link UpdateQueue}, which never blocks, so however many pages are open (or stuck) the stream thread
 * that publishes returns at once. A page that opens gets every camera's latest update first.
 */
final class LiveHub {
    private final Map<String, byte[]> latest = new ConcurrentHashMap<>();
    private final Set<UpdateQueue> pages = ConcurrentHashMap.newKeySet();
    private final int queueCapacity;

    LiveHub(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    /** {@code event}: the Server-Sent Events bytes of one update of {@code camera}. */
    void publish(String camera, byte[] event) {
        latest.put(camera, event);
        for (UpdateQueue page : pages) {
            if (page.follows(camera)) page.offer(event);
        }
    }

    /** A new page's queue, holding the latest update of each camera it follows. */
    UpdateQueue subscribe(String camera) {
        UpdateQueue page = new UpdateQueue(camera, queueCapacity);
        latest.forEach((id, event) -> {
            if (page.follows(id)) page.offer(event);
        });
        pages.add(page);
        return page;
    }

    void unsubscribe(UpdateQueue page) {
        pages.remove(page);
    }

    /** The open pages' queues. */
    List<UpdateQueue> pages() {
        return List.copyOf(pages);
    }
}
