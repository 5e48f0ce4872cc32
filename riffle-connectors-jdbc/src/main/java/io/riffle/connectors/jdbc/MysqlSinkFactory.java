package io.riffle.connectors.jdbc;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;

/**
 * The {@code mysql} sink: writes each result as a row of a MySQL or MariaDB table, batched, inserted or upserted on
 * {@code primary_key}. Fields: {@code db_host}, {@code db_port}, {@code db_user}, {@code db_pass}, {@code db_name},
 * {@code db_sslmode}, {@code table}, {@code primary_key}, {@code column_mapping}. Stateless and thread-safe.
 */
public final class MysqlSinkFactory implements ConnectorFactory {
    private final TableSinkFactory tables = new TableSinkFactory(new MysqlDialect());

    @Override
    public String kind() {
        return "mysql";
    }

    @Override
    public Direction direction() {
        return Direction.SINK;
    }

    @Override
    public void validate(ConnectorConfig config) {
        tables.settings(config);
    }

    /** Connects and checks that the table exists with the mapped and key columns. */
    @Override
    public void probe(ConnectorConfig config) {
        tables.probe(config);
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        return tables.open(config);
    }
}
