package io.riffle.connectors.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.core.InvalidInputException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** What differs between the PostgreSQL and the MySQL/MariaDB table sink. Stateless. */
interface SqlDialect {
    /** The connector kind. */
    String kind();

    int defaultPort();

    /** The accepted {@code db_sslmode} values, the default first. */
    List<String> sslModes();

    Connection open(DbEndpoint endpoint) throws SQLException;

    /** A connection failure as an error naming the field at fault (probe). */
    InvalidInputException connectFailure(ConnectorConfig config, DbEndpoint endpoint, SQLException e);

    String quote(String identifier);

    /** {@code INSERT ... VALUES (?, ...)}, an upsert on {@code keys} when there are keys. */
    String insert(String qualifiedTable, List<String> columns, List<String> keys);

    void bind(PreparedStatement statement, int index, JsonNode value) throws SQLException;

    /** The table's columns, empty when it does not exist ({@code schema} null: the connection's default). */
    Set<String> columns(Connection connection, String schema, String table) throws SQLException;

    /**
     * True when {@code e}, raised by one row's statement, is about that row's data (type mismatch, NOT NULL, a
     * constraint, an unknown column): the row is rejected and the others go on. Anything else fails the batch.
     */
    boolean rowError(SQLException e);

    /** {@code "schema"."table"} or {@code "table"}. */
    default String qualified(String schema, String table) {
        return schema == null ? quote(table) : quote(schema) + "." + quote(table);
    }
}
