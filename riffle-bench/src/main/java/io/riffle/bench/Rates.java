package io.riffle.bench;

/** Rates and ratios of measurements, with the edge cases spelled out. */
final class Rates {
    private Rates() {
    }

    /** Events per second of {@code count} events in {@code nanos}. */
    static double perSecond(long count, long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("elapsed time must be positive; got " + nanos + " ns");
        }
        return count * 1_000_000_000.0 / nanos;
    }

    /** {@code value / baseline}, or NaN when there is no usable baseline. */
    static double ratio(double value, double baseline) {
        if (Double.isNaN(value) || Double.isNaN(baseline) || baseline == 0) {
            return Double.NaN;
        }
        return value / baseline;
    }
}
