package io.riffle.client;

import java.util.Objects;

/** An environment variable of the function. */
public record EnvVar(String name, String value) {
    public EnvVar {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
