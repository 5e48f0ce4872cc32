package io.riffle.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riffle.connectors.ConnectorRegistry;
import io.riffle.connectors.Direction;
import io.riffle.core.EnvVar;
import io.riffle.core.InvalidInputException;
import io.riffle.core.PipelineSettings;
import io.riffle.core.PipelineState;
import io.riffle.core.SecretResolver;
import java.util.ArrayList;
import java.util.List;

/** Reads and validates the fields of GlassFlow's {@code CreatePipeline} and {@code UpdatePipeline} bodies. */
final class PipelineRequest {
    static final int MAX_NAME = 255;
    static final int MAX_SOURCE_BYTES = 1 << 20;

    private PipelineRequest() {
    }

    static String name(JsonNode body, boolean required) {
        var node = body.get("name");
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidInputException("name is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > MAX_NAME) {
            throw new InvalidInputException("name must be a non-empty string of at most " + MAX_NAME + " characters");
        }
        return node.asText().strip();
    }

    static String text(JsonNode body, String field, boolean required) {
        var node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidInputException(field + " is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(field + " must be a string");
        }
        return node.asText();
    }

    static String source(JsonNode body, boolean required) {
        var src = text(body, "transformation_function", required);
        if (src != null && (src.isBlank() || src.length() > MAX_SOURCE_BYTES)) {
            throw new InvalidInputException("transformation_function must be Python source defining "
                + "handler(data, log), at most " + MAX_SOURCE_BYTES + " characters");
        }
        return src;
    }

    /** {@code requirements_txt}, or the older {@code transformation_requirements} list, or null when absent. */
    static String requirements(JsonNode body) {
        var txt = text(body, "requirements_txt", false);
        if (txt != null) {
            return txt;
        }
        var list = body.get("transformation_requirements");
        if (list == null || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            throw new InvalidInputException("transformation_requirements must be a list of strings");
        }
        var sb = new StringBuilder();
        for (var item : list) {
            if (!item.isTextual()) {
                throw new InvalidInputException("transformation_requirements must be a list of strings");
            }
            sb.append(item.asText()).append('\n');
        }
        return sb.toString();
    }

    static PipelineState state(JsonNode body, PipelineState fallback) {
        var text = text(body, "state", false);
        return text == null ? fallback : PipelineState.parse(text);
    }

    static ObjectNode metadata(JsonNode body, ObjectNode fallback) {
        var node = body.get("metadata");
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isObject()) {
            throw new InvalidInputException("metadata must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * {@code environments: [{name, value}]}, where an item may instead reference a stored secret with
     * {@code value_secret_ref} (or {@code secret_ref}): {@code {type: "organization", key}}; null when absent.
     */
    static List<EnvVar> environments(JsonNode body) {
        var node = body.get("environments");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new InvalidInputException("environments must be a list of {\"name\": ..., \"value\": ...}");
        }
        var out = new ArrayList<EnvVar>();
        for (var item : node) {
            if (!item.isObject()) {
                throw new InvalidInputException("each environment entry must be an object");
            }
            var ref = item.has("value_secret_ref") ? item.get("value_secret_ref") : item.get("secret_ref");
            var value = item.get("value");
            if (ref != null && !ref.isNull()) {
                out.add(EnvVar.secret(item.path("name").asText(null), secretKey(ref)));
            } else if (value != null && value.isTextual()) {
                out.add(new EnvVar(item.path("name").asText(null), value.asText()));
            } else {
                throw new InvalidInputException("each environment entry needs a string name and a string value, or "
                    + "a value_secret_ref {\"type\": \"organization\", \"key\": ...}");
            }
        }
        return out;
    }

    private static String secretKey(JsonNode ref) {
        var type = ref.path("type").asText("organization");
        if (!ref.isObject() || !type.equals("organization")) {
            throw new InvalidInputException("value_secret_ref must be {\"type\": \"organization\", \"key\": ...}; "
                + "only organization secrets exist in Riffle");
        }
        return io.riffle.core.Secret.requireKey(ref.path("key").asText(null));
    }

    /**
     * A connector field: absent → {@code fallback}; null → none (the REST source or sink). A connector is checked
     * against the kinds this server has: the kind exists, its fields validate, secret references name stored
     * secrets, and (with {@code probe}) what can only be checked by connecting. Errors name the field.
     */
    static JsonNode connector(JsonNode body, Direction direction, JsonNode fallback, ConnectorRegistry registry,
                              SecretResolver secrets, boolean probe) {
        var field = direction.field();
        if (!body.has(field)) {
            return fallback;
        }
        var node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || node.path("kind").asText("").isEmpty()) {
            throw new InvalidInputException(field + " must be null or {\"kind\": ..., \"config\": {...}}");
        }
        if (node.equals(fallback)) {
            return node;
        }
        registry.check(direction, node, secrets, probe);
        return node;
    }

    /** Riffle's run settings under {@code settings}, on top of {@code base}. */
    static PipelineSettings settings(JsonNode body, PipelineSettings base) {
        return io.riffle.core.SettingsCodec.read(body.get("settings"), base);
    }
}
