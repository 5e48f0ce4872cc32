package io.riffle.bench;

/**
 * One line of the result table.
 *
 * @param baseline NaN when the row has none
 * @param target   null when the row has none
 * @param note     how it was measured, or why it is missing; may be empty
 */
record Row(String benchmark, String metric, double value, double baseline, Target target, String note) {

    static Row of(String benchmark, String metric, double value, Target target) {
        return new Row(benchmark, metric, value, Double.NaN, target, "");
    }

    Row withBaseline(double baselineValue) {
        return new Row(benchmark, metric, value, baselineValue, target, note);
    }

    Row withNote(String text) {
        return new Row(benchmark, metric, value, baseline, target, text);
    }

    /** A row for a benchmark that could not run, so the table still says so. */
    static Row failed(String benchmark, String why) {
        return new Row(benchmark, "error", Double.NaN, Double.NaN, null, why);
    }

    double ratio() {
        return Rates.ratio(value, baseline);
    }

    /** "yes", "no", or "" when there is no target. */
    String met() {
        if (target == null) {
            return "";
        }
        return target.met(value, ratio()) ? "yes" : "no";
    }
}
