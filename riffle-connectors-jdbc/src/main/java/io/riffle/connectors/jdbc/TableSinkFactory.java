package io.riffle.connectors.jdbc;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Sink;
import java.sql.SQLException;
import java.util.ArrayList;

/** The table sinks' validation, probe and opening, shared by {@code postgres} and {@code mysql}. */
final class TableSinkFactory {
    private final SqlDialect dialect;

    TableSinkFactory(SqlDialect dialect) {
        this.dialect = dialect;
    }

    TableSettings settings(ConnectorConfig config) {
        return TableSettings.from(config, dialect.defaultPort(), dialect.sslModes());
    }

    /** Connects and checks that the table exists and has the mapped and key columns. */
    void probe(ConnectorConfig config) {
        var settings = settings(config);
        try (var c = dialect.open(settings.endpoint())) {
            var columns = dialect.columns(c, settings.schema(), settings.table());
            if (columns.isEmpty()) {
                throw config.invalid("table", "table '" + config.string("table") + "' does not exist in database '"
                    + settings.endpoint().database() + "' (or user '" + settings.endpoint().user()
                    + "' cannot see it)");
            }
            var missing = new ArrayList<String>();
            for (var column : settings.knownColumns()) {
                if (!columns.contains(column)) {
                    missing.add(column);
                }
            }
            if (!missing.isEmpty()) {
                var field = settings.mapping().isEmpty() ? "primary_key" : "column_mapping";
                throw config.invalid(field, "table '" + config.string("table") + "' has no column "
                    + String.join(", ", missing) + "; it has " + String.join(", ", columns));
            }
        } catch (SQLException e) {
            throw dialect.connectFailure(config, settings.endpoint(), e);
        }
    }

    Sink open(ConnectorConfig config) {
        return new TableSink(settings(config), dialect);
    }
}
