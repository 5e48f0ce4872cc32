package io.riffle.connectors.jdbc;

import io.riffle.connectors.Rejection;
import io.riffle.connectors.Sink;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.UnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes results as table rows in one transaction per batch: consecutive rows with the same columns go in one JDBC
 * batch. When the database refuses a row's data, the transaction is rolled back and the batch written again row by
 * row, each behind a savepoint, so only the refused rows are rejected. Any other failure (connection lost, table
 * missing) rolls back and is thrown: the whole batch is retried.
 */
final class TableSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(TableSink.class);
    private final TableSettings settings;
    private final SqlDialect dialect;
    private final TableRows rows;
    private final String table;
    private Connection connection;

    TableSink(TableSettings settings, SqlDialect dialect) {
        this.settings = settings;
        this.dialect = dialect;
        this.rows = new TableRows(settings);
        this.table = dialect.qualified(settings.schema(), settings.table());
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) {
        var rejected = new ArrayList<Rejection>();
        var writable = new ArrayList<TableRows.Row>();
        for (var record : records) {
            var row = rows.row(record);
            if (row.problem() != null) {
                rejected.add(new Rejection(record, row.problem()));
            } else if (!row.skip()) {
                writable.add(row);
            }
        }
        if (writable.isEmpty()) {
            return rejected;
        }
        try {
            var c = connection();
            try {
                batched(c, writable);
                c.commit();
            } catch (SQLException e) {
                // Which row failed, and whether for its data, is only certain statement by statement.
                LOG.debug("{} sink {}: batch failed ({}), writing row by row", dialect.kind(), settings.endpoint(),
                    e.getMessage());
                rollback(c);
                rejected.addAll(rowByRow(c, writable));
                c.commit();
            }
            return inOrder(records, rejected);
        } catch (SQLException e) {
            drop();
            throw new UnavailableException(dialect.kind() + " sink " + settings.endpoint() + " table '" + settings.name() + "': "
                + ConnectFailures.firstLine(e), e);
        }
    }

    /** The rejections in the order of the records they belong to. */
    private static List<Rejection> inOrder(List<SinkRecord> records, List<Rejection> rejected) {
        var position = new IdentityHashMap<SinkRecord, Integer>();
        for (int i = 0; i < records.size(); i++) {
            position.put(records.get(i), i);
        }
        rejected.sort(Comparator.comparingInt(r -> position.getOrDefault(r.record(), -1)));
        return rejected;
    }

    private void batched(Connection c, List<TableRows.Row> writable) throws SQLException {
        int start = 0;
        while (start < writable.size()) {
            var columns = writable.get(start).columns();
            int end = start + 1;
            while (end < writable.size() && writable.get(end).columns().equals(columns)) {
                end++;
            }
            try (var ps = c.prepareStatement(dialect.insert(table, columns, settings.keys()))) {
                for (var row : writable.subList(start, end)) {
                    bind(ps, row);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            start = end;
        }
    }

    private List<Rejection> rowByRow(Connection c, List<TableRows.Row> writable) throws SQLException {
        var rejected = new ArrayList<Rejection>();
        for (var row : writable) {
            var savepoint = c.setSavepoint();
            try (var ps = c.prepareStatement(dialect.insert(table, row.columns(), settings.keys()))) {
                bind(ps, row);
                ps.executeUpdate();
                c.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                if (!dialect.rowError(e)) {
                    throw e;
                }
                c.rollback(savepoint);
                rejected.add(new Rejection(row.record(), dialect.kind() + " refused the row: "
                    + ConnectFailures.firstLine(e)));
            }
        }
        return rejected;
    }

    private void bind(PreparedStatement ps, TableRows.Row row) throws SQLException {
        int i = 1;
        for (var value : row.values().values()) {
            dialect.bind(ps, i++, value);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dialect.open(settings.endpoint());
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.getMessage());
        }
    }

    private void drop() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("{} sink {}: closing the connection failed: {}", dialect.kind(), settings.endpoint(),
                    e.getMessage());
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        drop();
    }
}
