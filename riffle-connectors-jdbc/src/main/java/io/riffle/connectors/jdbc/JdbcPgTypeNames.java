package io.riffle.connectors.jdbc;

import io.riffle.core.UnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Type names from the server's {@code format_type}, remembered per session. Used by one thread. */
final class JdbcPgTypeNames implements PgTypeNames {
    private final Connection connection;
    private final Map<Long, String> cache = new HashMap<>();

    JdbcPgTypeNames(Connection connection) {
        this.connection = connection;
    }

    @Override
    public String name(int oid, int typmod) {
        return cache.computeIfAbsent(((long) oid << 32) | (typmod & 0xffffffffL), key -> lookup(oid, typmod));
    }

    private String lookup(int oid, int typmod) {
        try (var ps = connection.prepareStatement("SELECT format_type(?::oid, ?)")) {
            ps.setLong(1, Integer.toUnsignedLong(oid));
            ps.setInt(2, typmod);
            try (var rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? rs.getString(1) : String.valueOf(oid);
            }
        } catch (SQLException e) {
            throw new UnavailableException("could not name PostgreSQL type " + oid + ": "
                + ConnectFailures.firstLine(e), e);
        }
    }
}
