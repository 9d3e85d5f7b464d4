package io.emostream.ingest;

import java.util.ArrayDeque;

/**
 * The hand-off between a camera's capture thread and its sender. Live sources never wait: when full, the oldest
 * unsent frame is dropped. Files read as fast as possible wait instead, so none of their frames is lost.
 */
final class FrameQueue<T> {
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final int capacity;
    private final boolean dropOldest;
    private boolean closed;

    FrameQueue(int capacity, boolean dropOldest) {
        this.capacity = capacity;
        this.dropOldest = dropOldest;
    }

    /** Adds an item; returns how many old items were dropped to make room (0 or 1). */
    synchronized int put(T item) throws InterruptedException {
        int dropped = 0;
        while (items.size() >= capacity && !closed) {
            if (dropOldest) {
                items.pollFirst();
                dropped++;
            } else {
                wait();
            }
        }
        items.addLast(item);
        notifyAll();
        return dropped;
    }

    /** The oldest item; null once closed and empty. */
    synchronized T take() throws InterruptedException {
        while (items.isEmpty() && !closed) wait();
        T item = items.pollFirst();
        notifyAll();
        return item;
    }

    /** No more items will come; take() drains what is left, then returns null. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
