package io.riffle.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One environment variable given to a function's worker processes: either a plain {@code value}, or a reference
 * to a stored secret ({@code secretKey} not null, {@code value} empty) that is resolved through a
 * {@link SecretResolver} when a worker starts, so that the plaintext is never stored with the function version.
 */
public record EnvVar(String name, String value, String secretKey) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    public EnvVar {
        Objects.requireNonNull(value, "value");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("environment variable name '" + name
                + "' must match " + NAME.pattern());
        }
        if (secretKey != null) {
            Secret.requireKey(secretKey);
            if (!value.isEmpty()) {
                throw new InvalidInputException("environment variable '" + name
                    + "' has both a value and a secret reference");
            }
        }
    }

    /** A plain variable. */
    public EnvVar(String name, String value) {
        this(name, value, null);
    }

    /** A variable whose value is the stored secret {@code key}, resolved when a worker starts. */
    public static EnvVar secret(String name, String key) {
        return new EnvVar(name, "", key);
    }

    public boolean isSecret() {
        return secretKey != null;
    }
}
