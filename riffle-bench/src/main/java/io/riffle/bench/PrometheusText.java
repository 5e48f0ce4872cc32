package io.riffle.bench;

/** Reads one value out of Prometheus' text exposition format. */
final class PrometheusText {
    private PrometheusText() {
    }

    /** The value of the first {@code series{...}} line whose labels contain {@code label}; NaN when none. */
    static double value(String text, String series, String label) {
        for (var line : text.split("\n")) {
            if (line.startsWith(series + "{") && line.contains(label)) {
                var v = line.substring(line.lastIndexOf(' ') + 1);
                try {
                    return Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
        return Double.NaN;
    }
}
