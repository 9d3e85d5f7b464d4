package io.emostream.processors.stats;

/** Serde of {@link WindowStats} for the window store and its changelog. */
public final class WindowStatsSerde extends BinaryStateSerde<WindowStats> {
    public WindowStatsSerde() {
        super("window statistics", WindowStats::writeTo, WindowStats::readFrom);
    }
}
