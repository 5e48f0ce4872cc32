package io.riffle.core;

import java.util.Objects;
import java.util.regex.Pattern;

/** One environment variable given to a function's worker processes. */
public record EnvVar(String name, String value) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    public EnvVar {
        Objects.requireNonNull(value, "value");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("environment variable name '" + name
                + "' must match " + NAME.pattern());
        }
    }
}
