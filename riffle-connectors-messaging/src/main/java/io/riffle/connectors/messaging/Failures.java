package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.core.InvalidInputException;
import io.riffle.core.UnavailableException;

/** The errors the messaging connectors report: one wording for "the system is unreachable". */
final class Failures {
    private Failures() {
    }

    /** {@code redis at localhost:6379: Connection refused}: a transient failure, the runtime retries. */
    static UnavailableException unreachable(String kind, String where, Throwable cause) {
        return new UnavailableException(kind + " at " + where + ": " + describe(cause), cause);
    }

    /** A probe failure naming the field to fix. */
    static InvalidInputException probe(ConnectorConfig config, String field, String problem, Throwable cause) {
        return new InvalidInputException(config.path(field) + ": " + problem
            + (cause == null ? "" : " (" + describe(cause) + ")"), cause);
    }

    /** The most telling message in a cause chain (the deepest one that has a message). */
    static String describe(Throwable cause) {
        String message = null;
        for (var t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message != null ? message : cause.getClass().getSimpleName();
    }
}
