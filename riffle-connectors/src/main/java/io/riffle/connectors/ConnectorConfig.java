package io.riffle.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.core.InvalidInputException;
import io.riffle.core.NotFoundException;
import io.riffle.core.Secret;
import io.riffle.core.SecretResolver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A connector's configuration as stored on the pipeline, in either of GlassFlow's two encodings: plain
 * ({@code {"kind": k, "config": {"url": "..."}}}) or secret-capable ({@code {"kind": k, "configuration":
 * {"url": {"value": "..."}, "password": {"secret_ref": {"type": "organization", "key": "PG_PASS"}}}}}). A plain
 * field may also hold {@code {"secret_ref": ...}}. Secret references are resolved when a value is read.
 * Every error names the field as the user wrote it ({@code sink_connector.config.url}). Immutable, thread-safe.
 */
public final class ConnectorConfig {
    private final Direction direction;
    private final String kind;
    private final JsonNode fields;
    private final String section;
    private final SecretResolver secrets;

    private ConnectorConfig(Direction direction, String kind, JsonNode fields, String section,
                            SecretResolver secrets) {
        this.direction = direction;
        this.kind = kind;
        this.fields = fields;
        this.section = section;
        this.secrets = secrets;
    }

    /**
     * Reads a stored connector.
     *
     * @param secrets resolves {@code secret_ref}s; null when values are only checked for shape (a secret's value
     *                is then not available and {@link #string} on such a field throws {@link IllegalStateException})
     * @throws InvalidInputException when {@code connector} is not {@code {"kind": ..., "config"|"configuration":
     *                               {...}}}
     */
    public static ConnectorConfig of(Direction direction, JsonNode connector, SecretResolver secrets) {
        Objects.requireNonNull(direction, "direction");
        var where = direction.field();
        if (connector == null || !connector.isObject() || !connector.path("kind").isTextual()
            || connector.path("kind").asText().isBlank()) {
            throw new InvalidInputException(where + " must be {\"kind\": ..., \"config\": {...}}");
        }
        var kind = connector.get("kind").asText();
        var section = connector.has("configuration") ? "configuration" : "config";
        var fields = connector.path(section);
        if (!fields.isObject()) {
            throw new InvalidInputException(where + "." + section + " must be an object of the " + kind
                + " connector's fields");
        }
        return new ConnectorConfig(direction, kind, fields, section, secrets);
    }

    public Direction direction() {
        return direction;
    }

    public String kind() {
        return kind;
    }

    /** The field names present, in order. */
    public List<String> fields() {
        var names = new ArrayList<String>();
        fields.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public boolean has(String field) {
        var node = unwrap(field);
        return node != null && !node.isNull() && !(node.isTextual() && node.asText().isEmpty());
    }

    /** True when the field is a {@code secret_ref} (its value comes from the secret store). */
    public boolean isSecret(String field) {
        var node = fields.get(field);
        return node != null && node.isObject() && node.has("secret_ref");
    }

    /** A required text field (numbers and booleans are accepted as their text). */
    public String string(String field) {
        var value = string(field, null);
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
        return value;
    }

    /** A text field, or {@code fallback} when absent. */
    public String string(String field, String fallback) {
        if (isSecret(field)) {
            return secret(field);
        }
        var node = unwrap(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isValueNode()) {
            throw invalid(field, "must be a string");
        }
        return node.asText();
    }

    /** An integer field (a JSON number or a numeric string, as GlassFlow sends ports), or {@code fallback}. */
    public int integer(String field, int fallback, int min, int max) {
        var text = string(field, null);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(field, "must be a whole number; got '" + text + "'");
        }
        if (value < min || value > max) {
            throw invalid(field, "must be between " + min + " and " + max + "; got " + value);
        }
        return value;
    }

    /** A boolean field ({@code true}/{@code false} or their text), or {@code fallback}. */
    public boolean bool(String field, boolean fallback) {
        var text = string(field, null);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(field, "must be true or false; got '" + text + "'");
        };
    }

    /** One of {@code allowed} (compared ignoring case, returned as listed), or {@code fallback} when absent. */
    public String choice(String field, String fallback, List<String> allowed) {
        var value = string(field, fallback);
        if (value == null) {
            return null;
        }
        for (var a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw invalid(field, "must be one of " + String.join(", ", allowed) + "; got '" + value + "'");
    }

    /** A list of {@code {"name": ..., "value": ...}} pairs (webhook headers), in order; empty when absent. */
    public Map<String, String> pairs(String field) {
        var node = unwrap(field);
        var out = new LinkedHashMap<String, String>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw invalid(field, "must be a list of {\"name\": ..., \"value\": ...}");
        }
        int i = 0;
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); i++) {
            var item = it.next();
            var name = item.path("name");
            var value = item.path("value");
            if (!name.isTextual() || name.asText().isBlank() || !(value.isValueNode() || isSecretNode(value))) {
                throw invalid(field + "[" + i + "]", "must be {\"name\": ..., \"value\": ...}");
            }
            out.put(name.asText(), isSecretNode(value) ? resolve(field + "[" + i + "]", value) : value.asText());
        }
        return out;
    }

    /** A list of strings (for example plugin arguments); empty when absent. */
    public List<String> strings(String field) {
        var node = unwrap(field);
        var out = new ArrayList<String>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw invalid(field, "must be a list of strings");
        }
        for (var item : node) {
            if (!item.isValueNode()) {
                throw invalid(field, "must be a list of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** The raw JSON of a field (after unwrapping {@code {"value": ...}}), or null. */
    public JsonNode raw(String field) {
        return unwrap(field);
    }

    /** An error naming {@code field} as the user wrote it: {@code sink_connector.config.url: is required}. */
    public InvalidInputException invalid(String field, String problem) {
        return new InvalidInputException(path(field) + ": " + problem);
    }

    /** The field's full name for messages and status: {@code source_connector.config.db_host}. */
    public String path(String field) {
        return direction.field() + "." + section + "." + field;
    }

    private JsonNode unwrap(String field) {
        var node = fields.get(field);
        if (node != null && node.isObject() && node.has("value") && !node.has("secret_ref")) {
            return node.get("value");
        }
        return node;
    }

    private String secret(String field) {
        return resolve(field, fields.get(field));
    }

    private String resolve(String field, JsonNode holder) {
        var ref = holder.get("secret_ref");
        if (!ref.isObject() || !ref.path("type").asText("organization").equals("organization")) {
            throw invalid(field, "secret_ref must be {\"type\": \"organization\", \"key\": ...}");
        }
        String key;
        try {
            key = Secret.requireKey(ref.path("key").asText(null));
        } catch (InvalidInputException e) {
            throw invalid(field, e.getMessage());
        }
        if (secrets == null) {
            throw new IllegalStateException(path(field) + " refers to secret " + key + " but no secrets are at hand");
        }
        try {
            return secrets.value(key);
        } catch (NotFoundException e) {
            throw invalid(field, "refers to secret '" + key + "', which does not exist");
        }
    }

    private static boolean isSecretNode(JsonNode node) {
        return node.isObject() && node.has("secret_ref");
    }
}
