package io.riffle.core;

import java.util.Locale;

/** Where a function version's build stands: its virtualenv and the import check of its handler. */
public enum BuildStatus {
    BUILDING, READY, FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BuildStatus parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
