package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.core.InvalidInputException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PostgreSQL: values are sent as text of unspecified type, so the server converts them to each column's type (a
 * JSON number fits an integer or numeric column, an object a jsonb column) and refuses what does not fit.
 */
final class PostgresDialect implements SqlDialect {
    @Override
    public String kind() {
        return "postgres";
    }

    @Override
    public int defaultPort() {
        return 5432;
    }

    @Override
    public List<String> sslModes() {
        return DbEndpoint.POSTGRES_SSL_MODES;
    }

    @Override
    public Connection open(DbEndpoint endpoint) throws SQLException {
        return PgConnections.open(endpoint, "riffle-sink");
    }

    @Override
    public InvalidInputException connectFailure(ConnectorConfig config, DbEndpoint endpoint, SQLException e) {
        return ConnectFailures.postgres(config, endpoint, e);
    }

    @Override
    public String quote(String identifier) {
        return CdcSetup.quote(identifier);
    }

    @Override
    public String insert(String qualifiedTable, List<String> columns, List<String> keys) {
        var sql = new StringBuilder("INSERT INTO ").append(qualifiedTable).append(" (")
            .append(columns.stream().map(this::quote).collect(Collectors.joining(", "))).append(") VALUES (")
            .append(columns.stream().map(c -> "?").collect(Collectors.joining(", "))).append(')');
        if (!keys.isEmpty()) {
            var updates = columns.stream().filter(c -> !keys.contains(c))
                .map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
            sql.append(" ON CONFLICT (").append(keys.stream().map(this::quote).collect(Collectors.joining(", ")))
                .append(updates.isEmpty() ? ") DO NOTHING" : ") DO UPDATE SET " + updates);
        }
        return sql.toString();
    }

    @Override
    public void bind(PreparedStatement statement, int index, JsonNode value) throws SQLException {
        if (value == null || value.isNull()) {
            statement.setNull(index, Types.NULL);
        } else if (value.isContainerNode()) {
            statement.setString(index, value.toString());
        } else {
            statement.setString(index, value.asText());
        }
    }

    @Override
    public Set<String> columns(Connection connection, String schema, String table) throws SQLException {
        try (var ps = connection.prepareStatement("SELECT column_name FROM information_schema.columns "
            + "WHERE table_schema = coalesce(?, current_schema()) AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            var out = new LinkedHashSet<String>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    @Override
    public boolean rowError(SQLException e) {
        var state = e.getSQLState() == null ? "" : e.getSQLState();
        // 22: data exception, 23: integrity constraint, 42703: no such column, 42804: datatype mismatch
        return state.startsWith("22") || state.startsWith("23") || state.equals("42703") || state.equals("42804");
    }
}
