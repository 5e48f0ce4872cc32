package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/** Where a column's value sits in a result: {@code "name"}, {@code "user.id"} or a JSON pointer {@code "/user/id"}. */
record FieldPath(String text, JsonPointer pointer) {
    static FieldPath parse(String text) {
        var t = text.trim();
        if (t.startsWith("/")) {
            return new FieldPath(t, JsonPointer.compile(t));
        }
        var pointer = new StringBuilder();
        for (var part : t.split("\\.")) {
            pointer.append('/').append(part.replace("~", "~0").replace("/", "~1"));
        }
        return new FieldPath(t, JsonPointer.compile(pointer.toString()));
    }

    /** The value, or null when the result has no such field (an explicit JSON null is returned as a node). */
    JsonNode find(JsonNode result) {
        var node = result.at(pointer);
        return node.isMissingNode() ? null : node;
    }
}
