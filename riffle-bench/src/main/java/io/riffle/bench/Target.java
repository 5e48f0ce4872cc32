package io.riffle.bench;

import java.util.Locale;

/**
 * What a row should reach: at least or at most a threshold, checked against the row's value or its ratio to the
 * baseline. A benchmark target, never an assertion.
 */
record Target(Bound bound, double threshold, Subject subject) {
    enum Bound { AT_LEAST, AT_MOST }

    enum Subject { VALUE, RATIO }

    static Target atLeast(double threshold) {
        return new Target(Bound.AT_LEAST, threshold, Subject.VALUE);
    }

    static Target atMost(double threshold) {
        return new Target(Bound.AT_MOST, threshold, Subject.VALUE);
    }

    static Target ratioAtLeast(double threshold) {
        return new Target(Bound.AT_LEAST, threshold, Subject.RATIO);
    }

    /** Whether the value (or ratio) meets the target; false when it is NaN (not measured). */
    boolean met(double value, double ratio) {
        double x = subject == Subject.VALUE ? value : ratio;
        if (Double.isNaN(x)) {
            return false;
        }
        return bound == Bound.AT_LEAST ? x >= threshold : x <= threshold;
    }

    /** As printed: {@code ≥ 25,000}, {@code ≤ 20}, {@code ratio ≥ 0.6}. */
    String describe() {
        var sign = bound == Bound.AT_LEAST ? "≥ " : "≤ ";
        return (subject == Subject.RATIO ? "ratio " : "") + sign + Format.number(threshold);
    }

    @Override
    public String toString() {
        return describe().toLowerCase(Locale.ROOT);
    }
}
