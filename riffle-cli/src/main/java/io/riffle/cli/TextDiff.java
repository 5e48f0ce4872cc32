package io.riffle.cli;

import java.util.ArrayList;
import java.util.List;

/** A line diff (longest common subsequence) of two small texts, such as two versions of a handler. */
final class TextDiff {
    static final int MAX_LINES = 2_000;
    static final int MAX_SHOWN = 40;

    private TextDiff() {
    }

    /** The changed lines as {@code - old} and {@code + new}, in order; at most {@link #MAX_SHOWN} of them. */
    static List<String> lines(String before, String after) {
        var a = before.lines().toList();
        var b = after.lines().toList();
        var out = new ArrayList<String>();
        if (a.size() > MAX_LINES || b.size() > MAX_LINES) {
            out.add("(" + a.size() + " lines → " + b.size() + " lines)");
            return out;
        }
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("- " + a.get(i++));
            } else {
                out.add("+ " + b.get(j++));
            }
        }
        if (out.isEmpty() && !before.equals(after)) {
            out.add("(whitespace at line ends changed)");
        }
        if (out.size() > MAX_SHOWN) {
            int more = out.size() - MAX_SHOWN;
            out.subList(MAX_SHOWN, out.size()).clear();
            out.add("... " + more + " more changed lines");
        }
        return out;
    }
}
