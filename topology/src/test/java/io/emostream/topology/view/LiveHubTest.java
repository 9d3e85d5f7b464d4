package io.emostream.topology.view;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class LiveHubTest {
    @Test
    void oneUpdateIsTheSameBytesForEveryOpenPageHoweverManyThereAre() throws InterruptedException {
        LiveHub hub = new LiveHub(4);
        UpdateQueue[] pages = new UpdateQueue[50];
        for (int i = 0; i < pages.length; i++) pages[i] = hub.subscribe(null);
        UpdateQueue otherCamera = hub.subscribe("cam-2");
        byte[] update = "event: update\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8);

        hub.publish("cam-1", update);

        for (UpdateQueue page : pages) assertSame(update, page.take(0), "shared, not copied per page");
        assertNull(otherCamera.take(0), "a page of another camera gets nothing");
    }

    @Test
    void aPageThatLeavesIsNoLongerOfferedUpdates() {
        LiveHub hub = new LiveHub(4);
        UpdateQueue page = hub.subscribe(null);
        hub.unsubscribe(page);

        hub.publish("cam-1", new byte[1]);

        assertEquals(0, page.size());
        assertEquals(0, hub.pages().size());
    }
}
