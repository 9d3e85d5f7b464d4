package io.emostream.ingest;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class FrameQueueTest {

    @Test
    void liveQueueDropsTheOldestUnsentFramesInsteadOfWaiting() throws Exception {
        FrameQueue<Integer> queue = new FrameQueue<>(2, true);
        int dropped = 0;
        for (int i = 0; i < 5; i++) dropped += queue.put(i);
        assertEquals(3, dropped);
        assertEquals(3, queue.take());
        assertEquals(4, queue.take());
        queue.close();
        assertNull(queue.take());
    }

    @Test
    void fileQueueWaitsForRoomAndLosesNothing() throws Exception {
        FrameQueue<Integer> queue = new FrameQueue<>(1, false);
        queue.put(0);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.put(1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(second.isDone(), "put waits while the queue is full");
        assertEquals(0, queue.take());
        assertEquals(0, second.get(5, TimeUnit.SECONDS), "nothing dropped");
        assertEquals(1, queue.take());
    }
}
