package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.core.InvalidInputException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MySQL and MariaDB through MariaDB Connector/J, in strict SQL mode so that a value that does not fit its column is
 * refused rather than silently truncated.
 */
final class MysqlDialect implements SqlDialect {
    /** MySQL error codes that are about one row's data. */
    private static final Set<Integer> ROW_ERRORS = Set.of(
        1048, // column cannot be null
        1054, // unknown column
        1062, // duplicate entry
        1264, // out of range
        1265, // data truncated
        1292, // incorrect date/time value
        1364, // field has no default value
        1366, // incorrect value for the column's type
        1406, // data too long
        1451, 1452, // foreign key
        3819, 4025); // check constraint

    @Override
    public String kind() {
        return "mysql";
    }

    @Override
    public int defaultPort() {
        return 3306;
    }

    @Override
    public List<String> sslModes() {
        return DbEndpoint.MYSQL_SSL_MODES;
    }

    @Override
    public Connection open(DbEndpoint endpoint) throws SQLException {
        var props = new Properties();
        props.setProperty("user", endpoint.user());
        props.setProperty("password", endpoint.password());
        props.setProperty("connectTimeout", String.valueOf(PgConnections.CONNECT_TIMEOUT.toMillis()));
        props.setProperty("socketTimeout", String.valueOf(PgConnections.SOCKET_TIMEOUT.toMillis()));
        props.setProperty("sslMode", switch (endpoint.sslmode()) {
            case "require" -> "trust";
            default -> endpoint.sslmode();
        });
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("sessionVariables", "sql_mode='STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
        var url = "jdbc:mariadb://" + endpoint.address() + "/"
            + URLEncoder.encode(endpoint.database(), StandardCharsets.UTF_8).replace("+", "%20");
        return DriverManager.getConnection(url, props);
    }

    @Override
    public InvalidInputException connectFailure(ConnectorConfig config, DbEndpoint endpoint, SQLException e) {
        return ConnectFailures.mysql(config, endpoint, e);
    }

    @Override
    public String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String insert(String qualifiedTable, List<String> columns, List<String> keys) {
        var sql = new StringBuilder("INSERT INTO ").append(qualifiedTable).append(" (")
            .append(columns.stream().map(this::quote).collect(Collectors.joining(", "))).append(") VALUES (")
            .append(columns.stream().map(c -> "?").collect(Collectors.joining(", "))).append(')');
        if (!keys.isEmpty()) {
            var updates = columns.stream().filter(c -> !keys.contains(c))
                .map(c -> quote(c) + " = VALUES(" + quote(c) + ")").collect(Collectors.joining(", "));
            var first = quote(columns.getFirst());
            sql.append(" ON DUPLICATE KEY UPDATE ").append(updates.isEmpty() ? first + " = " + first : updates);
        }
        return sql.toString();
    }

    @Override
    public void bind(PreparedStatement statement, int index, JsonNode value) throws SQLException {
        if (value == null || value.isNull()) {
            statement.setNull(index, Types.NULL);
        } else if (value.isBoolean()) {
            statement.setBoolean(index, value.booleanValue());
        } else if (value.isIntegralNumber() && value.canConvertToLong()) {
            statement.setLong(index, value.longValue());
        } else if (value.isNumber()) {
            statement.setBigDecimal(index, value.decimalValue());
        } else if (value.isContainerNode()) {
            statement.setString(index, value.toString());
        } else {
            statement.setString(index, value.asText());
        }
    }

    @Override
    public Set<String> columns(Connection connection, String schema, String table) throws SQLException {
        try (var ps = connection.prepareStatement("SELECT column_name FROM information_schema.columns "
            + "WHERE table_schema = coalesce(?, database()) AND table_name = ? ORDER BY ordinal_position")) {
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
        return ROW_ERRORS.contains(e.getErrorCode()) || state.startsWith("22") || state.startsWith("23");
    }
}
