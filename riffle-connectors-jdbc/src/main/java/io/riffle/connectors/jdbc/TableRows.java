package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.connectors.SinkRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns results into rows: the columns and their values, by {@code column_mapping} or a flat object's keys. */
final class TableRows {
    private final TableSettings settings;

    TableRows(TableSettings settings) {
        this.settings = settings;
    }

    /** One result's row; {@link Row#skip()} for an empty one, {@link Row#problem()} for one that cannot be a row. */
    record Row(SinkRecord record, Map<String, JsonNode> values, String problem) {
        boolean skip() {
            return problem == null && values.isEmpty();
        }

        List<String> columns() {
            return new ArrayList<>(values.keySet());
        }
    }

    Row row(SinkRecord record) {
        JsonNode result;
        try {
            result = record.json();
        } catch (RuntimeException e) {
            return new Row(record, Map.of(), "the result is not JSON");
        }
        if (!result.isObject()) {
            return new Row(record, Map.of(), "the result is " + result.getNodeType().name().toLowerCase(
                java.util.Locale.ROOT) + ", not a JSON object of column values");
        }
        var values = new LinkedHashMap<String, JsonNode>();
        if (settings.mapping().isEmpty()) {
            result.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
        } else {
            settings.mapping().forEach((column, path) -> {
                var value = path.find(result);
                if (value != null) {
                    values.put(column, value);
                }
            });
        }
        if (!values.isEmpty()) {
            for (var key : settings.keys()) {
                var v = values.get(key);
                if (v == null || v.isNull()) {
                    return new Row(record, Map.of(), "key column '" + key + "' has no value in the result");
                }
            }
        }
        return new Row(record, values, null);
    }
}
