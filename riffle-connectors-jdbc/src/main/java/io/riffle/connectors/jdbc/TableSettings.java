package io.riffle.connectors.jdbc;

import io.riffle.connectors.ConnectorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table sink's configuration, checked once.
 *
 * @param schema     the table's schema (PostgreSQL) or database (MySQL) when {@code table} is qualified, else null
 * @param keys       the {@code primary_key} columns; non-empty means upsert
 * @param mapping    column to result field ({@code column_mapping}), in order; empty means "a flat result's keys are
 *                   the columns"
 */
record TableSettings(DbEndpoint endpoint, String schema, String table, List<String> keys,
                     Map<String, FieldPath> mapping) {

    static TableSettings from(ConnectorConfig config, int defaultPort, List<String> sslModes) {
        var endpoint = DbEndpoint.from(config, defaultPort, sslModes);
        var table = config.string("table").trim();
        var parts = table.split("\\.", -1);
        if (parts.length > 2 || java.util.Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw config.invalid("table", "must be table or schema.table; got '" + table + "'");
        }
        var keys = keys(config);
        var mapping = mapping(config);
        for (var key : keys) {
            if (!mapping.isEmpty() && !mapping.containsKey(key)) {
                throw config.invalid("primary_key", "column '" + key + "' is not in column_mapping");
            }
        }
        return new TableSettings(endpoint, parts.length == 2 ? parts[0] : null, parts[parts.length - 1],
            List.copyOf(keys), mapping);
    }

    /** {@code "id"}, {@code "a, b"} or {@code ["a", "b"]}. */
    private static List<String> keys(ConnectorConfig config) {
        var raw = config.raw("primary_key");
        var out = new ArrayList<String>();
        if (raw == null || raw.isNull()) {
            return out;
        }
        var items = raw.isArray() ? config.strings("primary_key")
            : List.of(config.string("primary_key", "").split(","));
        for (var item : items) {
            var name = item.trim();
            if (name.isEmpty()) {
                throw config.invalid("primary_key", "must name columns: \"id\", \"a, b\" or [\"a\", \"b\"]");
            }
            if (out.contains(name)) {
                throw config.invalid("primary_key", "names column '" + name + "' twice");
            }
            out.add(name);
        }
        return out;
    }

    /** {@code {"column": "field.path", ...}} or {@code [{"name": "column", "value": "field.path"}, ...]}. */
    private static Map<String, FieldPath> mapping(ConnectorConfig config) {
        var raw = config.raw("column_mapping");
        var out = new LinkedHashMap<String, FieldPath>();
        if (raw == null || raw.isNull()) {
            return out;
        }
        Map<String, String> pairs;
        if (raw.isObject()) {
            pairs = new LinkedHashMap<>();
            for (var it = raw.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                    throw config.invalid("column_mapping." + e.getKey(), "must be the result field to store, as "
                        + "\"field\", \"a.b\" or \"/a/b\"");
                }
                pairs.put(e.getKey(), e.getValue().asText());
            }
        } else {
            pairs = config.pairs("column_mapping");
        }
        pairs.forEach((column, field) -> out.put(column, FieldPath.parse(field)));
        return out;
    }

    /** The table as the user wrote it. */
    String name() {
        return schema == null ? table : schema + "." + table;
    }

    /** Every column a row of this sink can have, when known in advance (a mapping); else just the keys. */
    List<String> knownColumns() {
        return mapping.isEmpty() ? keys : List.copyOf(mapping.keySet());
    }
}
