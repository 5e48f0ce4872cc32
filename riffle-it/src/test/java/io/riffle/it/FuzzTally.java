package io.riffle.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts of one fuzz run: answers by status, and every answer that broke a rule, with its input. */
final class FuzzTally {
    int inputs;
    int fiveHundreds;
    int lowLevel;
    int unchangedRuns;
    final Map<Integer, Integer> byStatus = new TreeMap<>();
    final Map<String, Integer> successes = new TreeMap<>();
    final List<String> failures5xx = new ArrayList<>();
    final List<String> internals = new ArrayList<>();
    final List<String> notProblem = new ArrayList<>();
    final List<String> reflected = new ArrayList<>();
    final List<String> changedRuns = new ArrayList<>();

    /** Records one answer; true when it was a success (the input was valid after all). */
    boolean record(String route, HostileInputIT.Input input, RawHttp.Answer a) {
        inputs++;
        byStatus.merge(a.status(), 1, Integer::sum);
        var rawHead = new String(a.rawHead(), StandardCharsets.ISO_8859_1);
        if (a.header("x-injected") != null || rawHead.contains("Set-Cookie: x=1")) {
            reflected.add(route + " " + input + " → " + rawHead);
        }
        if (a.status() >= 500) {
            fiveHundreds++;
            failures5xx.add(route + " " + input + " → " + a);
        }
        if (a.status() >= 400) {
            var internal = HostileBodies.internalIn(a.body());
            if (internal != null) {
                internals.add(route + " " + input + " → " + internal + " in " + a);
            }
            if (!a.json()) {
                // Jetty refuses what never reaches Riffle's routes (a malformed request line or header) itself
                if (List.of(400, 413, 414, 431, 505).contains(a.status())) {
                    lowLevel++;
                } else {
                    notProblem.add(route + " " + input + " → " + a);
                }
            } else if (!problem(a.body())) {
                notProblem.add(route + " " + input + " → " + a);
            }
            return false;
        }
        if (a.status() < 300) {
            successes.merge(route, 1, Integer::sum);
            return true;
        }
        return false;
    }

    private static boolean problem(String body) {
        try {
            var json = Api.JSON.readTree(body);
            return json.path("detail").isTextual() && json.path("msg").isTextual()
                && !json.path("detail").asText().isBlank();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
