package io.riffle.connectors.jdbc;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Source;
import java.sql.SQLException;

/**
 * The {@code postgres} source: change data capture through logical replication (pgoutput or wal2json), with
 * GlassFlow's fields {@code db_host}, {@code db_port}, {@code db_user}, {@code db_pass}, {@code db_name},
 * {@code db_sslmode}, {@code replication_slot}, {@code publication}, {@code replication_output_plugin_name},
 * {@code replication_output_plugin_args}, and Riffle's {@code create_slot}, {@code create_publication},
 * {@code publication_tables}. Stateless and thread-safe.
 */
public final class PostgresSourceFactory implements ConnectorFactory {
    @Override
    public String kind() {
        return "postgres";
    }

    @Override
    public Direction direction() {
        return Direction.SOURCE;
    }

    @Override
    public void validate(ConnectorConfig config) {
        CdcSettings.from(config);
    }

    /**
     * Connects, then checks {@code wal_level=logical}, the user's replication privilege, and that an existing slot
     * and publication fit (or may be created).
     */
    @Override
    public void probe(ConnectorConfig config) {
        var settings = CdcSettings.from(config);
        try (var c = PgConnections.open(settings.endpoint(), "riffle-probe")) {
            CdcSetup.checkServer(c, settings, config);
            CdcSetup.prepare(c, settings, config, true);
        } catch (SQLException e) {
            throw ConnectFailures.postgres(config, settings.endpoint(), e);
        }
    }

    @Override
    public Source openSource(ConnectorConfig config) {
        return new PostgresCdcSource(CdcSettings.from(config), config);
    }
}
