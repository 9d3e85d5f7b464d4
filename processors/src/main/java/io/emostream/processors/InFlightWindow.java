package io.emostream.processors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The frames of one task in flight, oldest first, at most {@code max}: their results are forwarded in input order,
 * each as soon as it and every frame before it are answered. The {@link InFlightDrain} forwards them all before each
 * commit.
 */
final class InFlightWindow implements InFlightDrain.Pending {
    private static final Logger log = LoggerFactory.getLogger(InFlightWindow.class);

    private final int max;
    private final InFlightDrain drain;
    private final Consumer<InFlightFrame> answer;
    private final Deque<InFlightFrame> frames = new ArrayDeque<>();

    /**
     * @param answer waits for one frame's results (bounded by the result timeout) and forwards them, or its dead
     *               letter
     */
    InFlightWindow(int max, InFlightDrain drain, Consumer<InFlightFrame> answer) {
        if (max < 2) throw new IllegalArgumentException("a window holds 2 frames or more, got " + max);
        this.max = max;
        this.drain = drain;
        this.answer = answer;
    }

    /** Adds a frame; forwards what is answered, and waits for the oldest frames until fewer than max are left. */
    void add(InFlightFrame frame) {
        frames.add(frame);
        while (!frames.isEmpty() && (frames.size() >= max || frames.peek().done())) {
            forward(frames.poll());
        }
    }

    /** Forwards the answered frames at the head, without waiting (the punctuator's call). */
    void forwardAnswered() {
        while (!frames.isEmpty() && frames.peek().done()) {
            forward(frames.poll());
        }
    }

    int size() {
        return frames.size();
    }

    @Override
    public void forwardAll() {
        while (!frames.isEmpty()) {
            forward(frames.poll());
        }
    }

    @Override
    public void dropAll(String why) {
        if (frames.isEmpty()) return;
        log.warn("{} frame(s) in flight dropped unanswered: {}. Their offsets were not committed, so they are read "
                + "again.", frames.size(), why);
        frames.forEach(InFlightFrame::cancel);
        frames.clear();
    }

    private void forward(InFlightFrame frame) {
        drain.forwardAs(frame.source(), () -> answer.accept(frame));
    }
}
