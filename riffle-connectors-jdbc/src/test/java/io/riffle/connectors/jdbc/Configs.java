package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Direction;

/** Connector configurations for tests. */
final class Configs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Configs() {
    }

    /** {@code {"kind": kind, "config": {k1: v1, ...}}}; values are strings, numbers, booleans or JSON nodes. */
    static ConnectorConfig of(Direction direction, String kind, Object... pairs) {
        var connector = JSON.createObjectNode().put("kind", kind);
        var fields = connector.putObject("config");
        for (int i = 0; i < pairs.length; i += 2) {
            fields.set((String) pairs[i], JSON.valueToTree(pairs[i + 1]));
        }
        return ConnectorConfig.of(direction, connector, null);
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
