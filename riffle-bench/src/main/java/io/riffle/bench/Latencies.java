package io.riffle.bench;

import java.util.Arrays;

/**
 * A summary of latency samples in nanoseconds: nearest-rank percentiles over a sorted copy. Immutable.
 *
 * @param count samples summarised
 */
record Latencies(int count, long p50Nanos, long p99Nanos, long maxNanos) {

    /** Summarises {@code samples} (nanoseconds); the array is not modified. */
    static Latencies of(long[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no latency samples: nothing was measured");
        }
        var sorted = samples.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    /**
     * The nearest-rank percentile of ascending {@code sorted}: the smallest sample such that at least {@code p}
     * percent of samples are less than or equal to it.
     */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]; got " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    double p50Millis() {
        return millis(p50Nanos);
    }

    double p99Millis() {
        return millis(p99Nanos);
    }

    double maxMillis() {
        return millis(maxNanos);
    }

    static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
