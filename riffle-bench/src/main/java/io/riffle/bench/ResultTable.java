package io.riffle.bench;

import java.util.ArrayList;
import java.util.List;

/** The result rows, rendered as an aligned text table for the terminal and as a markdown table. */
final class ResultTable {
    static final List<String> HEADERS = List.of("benchmark", "metric", "value", "baseline", "ratio", "target",
        "met?");
    private final List<Row> rows;

    ResultTable(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    List<Row> rows() {
        return rows;
    }

    /** The cells of each row, in {@link #HEADERS} order. */
    List<List<String>> cells() {
        var out = new ArrayList<List<String>>(rows.size());
        for (var r : rows) {
            out.add(List.of(r.benchmark(), r.metric(), Format.number(r.value()),
                Double.isNaN(r.baseline()) ? "" : Format.number(r.baseline()),
                Double.isNaN(r.ratio()) ? "" : Format.number(r.ratio()),
                r.target() == null ? "" : r.target().describe(), r.met()));
        }
        return out;
    }

    /** Columns padded to their widest cell, separated by two spaces; numbers right-aligned. */
    String text() {
        var cells = cells();
        int[] width = new int[HEADERS.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = HEADERS.get(c).length();
            for (var row : cells) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        var sb = new StringBuilder();
        appendLine(sb, HEADERS, width);
        for (var row : cells) {
            appendLine(sb, row, width);
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, List<String> cells, int[] width) {
        for (int c = 0; c < cells.size(); c++) {
            var cell = cells.get(c);
            var pad = " ".repeat(width[c] - cell.length());
            boolean numeric = c >= 2 && c <= 4;
            sb.append(numeric ? pad + cell : cell + pad);
            if (c < cells.size() - 1) {
                sb.append("  ");
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }

    /** A GitHub-flavoured markdown table, then the rows' notes as a list. */
    String markdown() {
        var sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", HEADERS)).append(" |\n");
        sb.append("|---|---|---:|---:|---:|---|---|\n");
        for (var row : cells()) {
            sb.append("| ");
            for (int c = 0; c < row.size(); c++) {
                sb.append(row.get(c).replace("|", "\\|"));
                sb.append(c < row.size() - 1 ? " | " : " |\n");
            }
        }
        var notes = rows.stream().filter(r -> !r.note().isEmpty()).toList();
        if (!notes.isEmpty()) {
            sb.append('\n');
            for (var r : notes) {
                sb.append("- ").append(r.benchmark()).append(", ").append(r.metric()).append(": ").append(r.note())
                    .append('\n');
            }
        }
        return sb.toString();
    }
}
