package io.riffle.connectors.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a {@code snowflake_cdc_json} result into one SQL statement with bind variables (pure):
 * {@code {"operation": "INSERT"|"UPDATE"|"DELETE", "schema": s, "table": t, "columns": {...}, "filters": {...}}}.
 * {@code columns} and {@code filters} are objects {@code {name: value}} or lists {@code [{"name", "value"}]}.
 * Values are bound, never spliced into the SQL; a null value is written as {@code NULL} / {@code IS NULL}.
 */
final class SnowflakeStatements {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,254}");

    private SnowflakeStatements() {
    }

    /** A bind variable as the SQL API takes it: a Snowflake type and the value as text. */
    record Binding(String type, String value) {
    }

    /** A statement and its bind variables, in order of the {@code ?} placeholders. */
    record Statement(String schema, String sql, List<Binding> bindings) {
    }

    /**
     * The statement for {@code result}.
     *
     * @throws IllegalArgumentException with the reason when the result is not a valid change
     */
    static Statement of(JsonNode result, String defaultSchema) {
        if (result == null || !result.isObject()) {
            throw new IllegalArgumentException("snowflake_cdc_json takes a JSON object per result");
        }
        var operation = result.path("operation").asText("").toUpperCase(Locale.ROOT);
        var schema = result.path("schema").isTextual() && !result.get("schema").asText().isBlank()
            ? result.get("schema").asText() : defaultSchema;
        if (!result.path("table").isTextual() || result.get("table").asText().isBlank()) {
            throw new IllegalArgumentException("table is required");
        }
        var table = identifier(schema) + "." + identifier(result.get("table").asText());
        var bindings = new ArrayList<Binding>();
        return switch (operation) {
            case "INSERT" -> {
                var columns = pairs(result, "columns", true);
                var names = new ArrayList<String>();
                var values = new ArrayList<String>();
                columns.forEach((name, value) -> {
                    names.add(identifier(name));
                    values.add(placeholder(value, bindings));
                });
                yield new Statement(schema, "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                    + String.join(", ", values) + ")", bindings);
            }
            case "UPDATE" -> {
                var sets = new ArrayList<String>();
                pairs(result, "columns", true).forEach((name, value) ->
                    sets.add(identifier(name) + " = " + placeholder(value, bindings)));
                var where = where(pairs(result, "filters", true), bindings);
                yield new Statement(schema, "UPDATE " + table + " SET " + String.join(", ", sets) + " WHERE " + where,
                    bindings);
            }
            case "DELETE" -> new Statement(schema, "DELETE FROM " + table + " WHERE "
                + where(pairs(result, "filters", true), bindings), bindings);
            default -> throw new IllegalArgumentException("operation must be INSERT, UPDATE or DELETE; got '"
                + result.path("operation").asText("") + "'");
        };
    }

    private static String where(Map<String, JsonNode> filters, List<Binding> bindings) {
        var conditions = new ArrayList<String>();
        filters.forEach((name, value) -> conditions.add(value.isNull() ? identifier(name) + " IS NULL"
            : identifier(name) + " = " + placeholder(value, bindings)));
        return String.join(" AND ", conditions);
    }

    private static String placeholder(JsonNode value, List<Binding> bindings) {
        if (value.isNull()) {
            return "NULL";
        }
        if (value.isIntegralNumber()) {
            bindings.add(new Binding("FIXED", value.asText()));
        } else if (value.isNumber()) {
            bindings.add(new Binding("REAL", value.asText()));
        } else if (value.isBoolean()) {
            bindings.add(new Binding("BOOLEAN", value.asText()));
        } else if (value.isTextual()) {
            bindings.add(new Binding("TEXT", value.asText()));
        } else {
            bindings.add(new Binding("TEXT", value.toString()));
        }
        return "?";
    }

    /** The {@code {name: value}} of {@code field}; the UPDATE/DELETE filters may not be empty (every row). */
    private static Map<String, JsonNode> pairs(JsonNode result, String field, boolean required) {
        var node = result.path(field);
        var out = new LinkedHashMap<String, JsonNode>();
        if (node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        } else if (node.isArray()) {
            for (var item : node) {
                if (!item.path("name").isTextual()) {
                    throw new IllegalArgumentException(field + " must be {name: value} or [{\"name\", \"value\"}]");
                }
                out.put(item.get("name").asText(), item.has("value") ? item.get("value")
                    : com.fasterxml.jackson.databind.node.NullNode.getInstance());
            }
        } else if (!node.isMissingNode() && !node.isNull()) {
            throw new IllegalArgumentException(field + " must be {name: value} or [{\"name\", \"value\"}]");
        }
        if (required && out.isEmpty()) {
            throw new IllegalArgumentException(field + " must name at least one column"
                + (field.equals("filters") ? " (an UPDATE or DELETE without filters would change every row)" : ""));
        }
        return out;
    }

    /** An identifier as written: plain names unquoted (Snowflake upper-cases them), others double-quoted. */
    static String identifier(String name) {
        if (PLAIN.matcher(name).matches()) {
            return name;
        }
        if (name.isEmpty() || name.length() > 255) {
            throw new IllegalArgumentException("'" + name + "' is not a valid identifier");
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
