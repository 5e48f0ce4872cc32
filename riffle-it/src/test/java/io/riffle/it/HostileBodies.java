package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

/** What an answer to a client must never show: stack traces, exception class names, internal package names. */
final class HostileBodies {
    /** Java stack frames, "Caused by", exception class names and the packages of Riffle and its libraries. */
    static final List<Pattern> INTERNALS = List.of(
        Pattern.compile("\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\("),
        Pattern.compile("Caused by:"),
        Pattern.compile("\\b[A-Z]\\w*Exception\\b"),
        Pattern.compile("\\b[a-z]\\w*(\\.[a-z]\\w*)+\\.[A-Z]\\w*(Exception|Error)\\b"),
        Pattern.compile("\\b(java|javax|jakarta|sun|io\\.riffle|io\\.javalin|io\\.nats|org\\.eclipse|org\\.postgresql"
            + "|com\\.zaxxer|com\\.fasterxml|org\\.flywaydb)\\.[a-z]"));

    private HostileBodies() {
    }

    /** The first internal detail in {@code body}, or null. */
    static String internalIn(String body) {
        if (body == null) {
            return null;
        }
        for (var p : INTERNALS) {
            var m = p.matcher(body);
            if (m.find()) {
                return m.group();
            }
        }
        return null;
    }

    static void assertNoInternals(Api.Response r) {
        assertThat(internalIn(r.body())).as("internal detail in %s", r).isNull();
    }
}
