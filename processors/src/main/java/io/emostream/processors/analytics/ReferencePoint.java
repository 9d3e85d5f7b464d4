package io.emostream.processors.analytics;

import io.emostream.schemas.PixelBox;

/** The point of a track's box that stands for where the object is, when testing zones and lines. */
public enum ReferencePoint {
    /** The middle of the box's bottom edge: where a person or a vehicle meets the ground. */
    BOTTOM_CENTER {
        @Override
        public double y(PixelBox box) {
            return box.getY2();
        }
    },
    /** The centre of the box. */
    CENTER {
        @Override
        public double y(PixelBox box) {
            return (box.getY1() + box.getY2()) / 2.0;
        }
    };

    /** In pixels. */
    public double x(PixelBox box) {
        return (box.getX1() + box.getX2()) / 2.0;
    }

    /** In pixels. */
    public abstract double y(PixelBox box);
}
