package io.riffle.store;

import com.zaxxer.hikari.HikariDataSource;
import io.riffle.core.ConflictException;
import io.riffle.core.InvalidInputException;
import io.riffle.core.RiffleException;
import io.riffle.core.UnavailableException;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;

/** Plain JDBC over a pool: transactions, parameter binding and translation of {@link SQLException}s. Thread-safe. */
final class Jdbc {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String CONNECTION_CLASS = "08";
    private static final String DATA_EXCEPTION_CLASS = "22";
    /** What a client is told while PostgreSQL cannot be reached (the cause stays in the server's log). */
    static final String UNAVAILABLE = "database unavailable: PostgreSQL cannot be reached right now; management calls "
        + "work again when it is back (running pipelines keep processing); retry later";

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Work on one connection that may throw {@link SQLException}. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(Work<T> work) {
        try (var c = connection()) {
            c.setAutoCommit(false);
            try {
                var result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Runs {@code work} on a connection in auto-commit mode (one statement, one transaction). */
    <T> T withConnection(Work<T> work) {
        try (var c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    <T> List<T> query(String sql, Row<T> row, Object... params) {
        return withConnection(c -> query(c, sql, row, params));
    }

    <T> Optional<T> queryOne(String sql, Row<T> row, Object... params) {
        return withConnection(c -> queryOne(c, sql, row, params));
    }

    int update(String sql, Object... params) {
        return withConnection(c -> update(c, sql, params));
    }

    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (var ps = prepare(c, sql, params); var rs = ps.executeQuery()) {
            var out = new ArrayList<T>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        }
    }

    static <T> Optional<T> queryOne(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        var rows = query(c, sql, row, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (var ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** PostgreSQL keeps microseconds; truncating first makes stored and returned instants equal. */
    static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        var value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        var ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, bindable(params[i]));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static Object bindable(Object value) {
        if (value instanceof Instant instant) {
            return micros(instant).atOffset(ZoneOffset.UTC);
        }
        return value;
    }

    private Connection connection() throws SQLException {
        if (dataSource instanceof HikariDataSource pool && pool.isClosed()) {
            throw new UnavailableException("database unavailable: the connection pool is closed");
        }
        return dataSource.getConnection();
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Connection failures become {@link UnavailableException}, unique violations {@link ConflictException}. */
    static RiffleException translate(SQLException e) {
        var state = e.getSQLState() == null ? "" : e.getSQLState();
        if (isConnectionFailure(e)) {
            return new UnavailableException(UNAVAILABLE, e);
        }
        if (state.startsWith(DATA_EXCEPTION_CLASS)) {
            // a value PostgreSQL cannot take (a NUL character, an invalid byte sequence, an out-of-range number):
            // it came from the request, so it is the client's error, named without the SQL around it
            return new InvalidInputException("a value in the request is not valid: " + serverMessage(e), e);
        }
        if (state.equals(UNIQUE_VIOLATION)) {
            return new ConflictException("already exists: " + detail(e), e);
        }
        if (state.equals(FOREIGN_KEY_VIOLATION)) {
            return new ConflictException("refers to a missing row or is still referenced: " + detail(e), e);
        }
        return new RiffleException("database error: " + e.getMessage(), e);
    }

    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                && sql.getSQLState().startsWith(CONNECTION_CLASS)) {
                return true;
            }
        }
        return false;
    }

    private static String serverMessage(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null
            && p.getServerErrorMessage().getMessage() != null) {
            return p.getServerErrorMessage().getMessage();
        }
        return "rejected by the database";
    }

    private static String detail(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null
            && p.getServerErrorMessage().getDetail() != null) {
            return p.getServerErrorMessage().getDetail();
        }
        return e.getMessage();
    }
}
