package io.emostream.processors.tracking;

/** An axis-aligned box by its corners, pixels; x2 >= x1 and y2 >= y1. */
public record Box(double x1, double y1, double x2, double y2) {

    /** The box of this centre and size. */
    public static Box ofCentre(double centreX, double centreY, double width, double height) {
        return new Box(centreX - width / 2, centreY - height / 2, centreX + width / 2, centreY + height / 2);
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    public double centreX() {
        return (x1 + x2) / 2;
    }

    public double centreY() {
        return (y1 + y2) / 2;
    }

    /** Intersection over union; 0 for disjoint or empty boxes. */
    public double iou(Box other) {
        double w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (w <= 0 || h <= 0) return 0;
        double intersection = w * h;
        return intersection / (width() * height() + other.width() * other.height() - intersection);
    }
}
