package io.riffle.bench;

import java.util.Locale;

/** Number formatting of the result table: thousands separators for big numbers, a few decimals for small ones. */
final class Format {
    private Format() {
    }

    /** {@code 12,345} for ≥ 1,000; {@code 123.4} for ≥ 100; {@code 1.23} below; {@code —} for NaN. */
    static String number(double x) {
        if (Double.isNaN(x)) {
            return "—";
        }
        double abs = Math.abs(x);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", x);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        if (x == Math.rint(x)) {
            return String.format(Locale.ROOT, "%.0f", x);
        }
        return String.format(Locale.ROOT, "%.2f", x);
    }
}
