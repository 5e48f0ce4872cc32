package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;

/** Reading user names and passwords, which are usually {@code secret_ref}s. */
final class Credentials {
    private Credentials() {
    }

    /**
     * The field's value, {@code fallback} when absent; with {@code withSecrets} false (a shape-only check, no secrets
     * at hand) a {@code secret_ref} is not resolved and {@code fallback} is returned.
     */
    static String read(ConnectorConfig config, String field, String fallback, boolean withSecrets) {
        if (!withSecrets && config.isSecret(field)) {
            return fallback;
        }
        var value = config.string(field, fallback);
        return value == null || value.isBlank() ? fallback : value;
    }
}
