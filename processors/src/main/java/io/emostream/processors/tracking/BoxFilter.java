package io.emostream.processors.tracking;

/**
 * A constant-velocity Kalman filter on a box: centre x, centre y, width and height, each with its velocity in
 * pixels per second. With the motion and measurement noise of each coordinate independent of the others, the 8x8
 * covariance is block-diagonal, so the filter runs as four independent 2-state filters (position, velocity), each
 * with a 2x2 covariance: exact, and far cheaper than the full matrix. Noise scales with the box size
 * ((width + height) / 2), so near and far objects are tracked alike.
 *
 * <p>Prediction takes the time step in seconds, so a gap of any length in the input is bridged by one prediction.
 * Process noise is the continuous white-noise acceleration model: over dt, an acceleration density q adds
 * q dt^3/3 to the position variance, q dt^2/2 to the covariance and q dt to the velocity variance.
 */
public final class BoxFilter {
    /** Smallest width and height in pixels, so that a box shrinking under its size velocity never vanishes. */
    private static final double MIN_SIDE = 1;
    private static final int AXES = 4;
    private static final int WIDTH = 2;
    private static final int HEIGHT = 3;

    /** One coordinate's estimate and covariance. */
    public record Axis(double position, double velocity, double positionVariance, double covariance,
                       double velocityVariance) { }

    private final double measurementNoise;
    private final double accelerationNoise;
    private final double[] position = new double[AXES];
    private final double[] velocity = new double[AXES];
    private final double[] positionVariance = new double[AXES];
    private final double[] covariance = new double[AXES];
    private final double[] velocityVariance = new double[AXES];

    private BoxFilter(TrackerSettings settings) {
        this.measurementNoise = settings.measurementNoise();
        this.accelerationNoise = settings.accelerationNoise();
    }

    /** A filter at the measured box, at rest, with the velocity unknown. */
    public static BoxFilter start(Box measured, TrackerSettings settings) {
        BoxFilter filter = new BoxFilter(settings);
        double[] z = coordinates(measured);
        double size = size(z[WIDTH], z[HEIGHT]);
        double r = square(settings.measurementNoise() * size);
        double v = square(settings.initialVelocityNoise() * size);
        for (int i = 0; i < AXES; i++) {
            filter.position[i] = z[i];
            filter.positionVariance[i] = r;
            filter.velocityVariance[i] = v;
        }
        return filter;
    }

    /** A filter in the given state: centre x, centre y, width, height. */
    public static BoxFilter restore(Axis centreX, Axis centreY, Axis width, Axis height, TrackerSettings settings) {
        BoxFilter filter = new BoxFilter(settings);
        Axis[] axes = {centreX, centreY, width, height};
        for (int i = 0; i < AXES; i++) {
            filter.position[i] = axes[i].position();
            filter.velocity[i] = axes[i].velocity();
            filter.positionVariance[i] = axes[i].positionVariance();
            filter.covariance[i] = axes[i].covariance();
            filter.velocityVariance[i] = axes[i].velocityVariance();
        }
        return filter;
    }

    /** Moves the estimate {@code seconds} ahead (0 leaves it as it is). */
    public void predict(double seconds) {
        if (seconds <= 0) return;
        double q = square(accelerationNoise * size(position[WIDTH], position[HEIGHT]));
        double dt2 = seconds * seconds;
        for (int i = 0; i < AXES; i++) {
            position[i] += velocity[i] * seconds;
            positionVariance[i] += 2 * seconds * covariance[i] + dt2 * velocityVariance[i] + q * dt2 * seconds / 3;
            covariance[i] += seconds * velocityVariance[i] + q * dt2 / 2;
            velocityVariance[i] += q * seconds;
        }
        for (int i = WIDTH; i <= HEIGHT; i++) {
            if (position[i] < MIN_SIDE) {
                position[i] = MIN_SIDE;
                velocity[i] = Math.max(0, velocity[i]);
            }
        }
    }

    /** Corrects the estimate with a measured box. */
    public void update(Box measured) {
        double[] z = coordinates(measured);
        double r = square(measurementNoise * size(position[WIDTH], position[HEIGHT]));
        for (int i = 0; i < AXES; i++) {
            double innovation = z[i] - position[i];
            double s = positionVariance[i] + r;
            double gainPosition = positionVariance[i] / s;
            double gainVelocity = covariance[i] / s;
            position[i] += gainPosition * innovation;
            velocity[i] += gainVelocity * innovation;
            velocityVariance[i] -= gainVelocity * covariance[i];
            covariance[i] *= 1 - gainPosition;
            positionVariance[i] *= 1 - gainPosition;
        }
    }

    /** The estimated box. */
    public Box box() {
        return Box.ofCentre(position[0], position[1], Math.max(MIN_SIDE, position[WIDTH]),
                Math.max(MIN_SIDE, position[HEIGHT]));
    }

    /** Velocity of the box centre along x, pixels per second. */
    public double velocityX() {
        return velocity[0];
    }

    /** Velocity of the box centre along y, pixels per second. */
    public double velocityY() {
        return velocity[1];
    }

    public Axis centreX() {
        return axis(0);
    }

    public Axis centreY() {
        return axis(1);
    }

    public Axis width() {
        return axis(WIDTH);
    }

    public Axis height() {
        return axis(HEIGHT);
    }

    private Axis axis(int i) {
        return new Axis(position[i], velocity[i], positionVariance[i], covariance[i], velocityVariance[i]);
    }

    private static double[] coordinates(Box box) {
        return new double[] {box.centreX(), box.centreY(), box.width(), box.height()};
    }

    private static double size(double width, double height) {
        return (Math.max(MIN_SIDE, width) + Math.max(MIN_SIDE, height)) / 2;
    }

    private static double square(double x) {
        return x * x;
    }
}
