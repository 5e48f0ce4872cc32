package io.riffle.connectors.cloud;

import io.riffle.connectors.ConnectorConfig;

/**
 * Reading fields that may be secret references when a configuration is only checked for shape (no secrets at
 * hand): such a field counts as present and its value is not checked.
 */
final class SecretFields {
    private SecretFields() {
    }

    /**
     * The required field's value; null when it is a secret reference that cannot be resolved here.
     *
     * @throws io.riffle.core.InvalidInputException when it is missing
     */
    static String required(ConnectorConfig config, String field) {
        if (config.isSecret(field)) {
            try {
                return config.string(field);
            } catch (IllegalStateException shapeOnly) {
                return null;
            }
        }
        return config.string(field);
    }

    /** The optional field's value, {@code fallback} when absent, null when an unresolvable secret reference. */
    static String optional(ConnectorConfig config, String field, String fallback) {
        if (config.isSecret(field)) {
            try {
                return config.string(field, fallback);
            } catch (IllegalStateException shapeOnly) {
                return null;
            }
        }
        return config.string(field, fallback);
    }
}
