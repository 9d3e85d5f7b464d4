package io.emostream.topology.view;

import java.util.ArrayDeque;

/**
 * One open page's updates: bounded, and an update that finds it full pushes out the oldest, so offering never
 * blocks the producer and a page that stops reading holds at most {@code capacity} updates.
 */
final class UpdateQueue {
    private final String camera;
    private final int capacity;
    private final ArrayDeque<byte[]> events;
    private long dropped;

    /** @param camera the one camera this page follows, or null for every camera */
    UpdateQueue(String camera, int capacity) {
        this.camera = camera;
        this.capacity = capacity;
        this.events = new ArrayDeque<>(capacity);
    }

    boolean follows(String cameraId) {
        return camera == null || camera.equals(cameraId);
    }

    synchronized void offer(byte[] event) {
        if (events.size() == capacity) {
            events.pollFirst();
            dropped++;
        }
        events.addLast(event);
        notifyAll();
    }

    /** The oldest update, waiting up to {@code timeoutMs} for one; null when none came. */
    synchronized byte[] take(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (events.isEmpty()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) return null;
            wait(left);
        }
        return events.pollFirst();
    }

    synchronized int size() {
        return events.size();
    }

    int capacity() {
        return capacity;
    }

    synchronized long dropped() {
        return dropped;
    }
}
