package io.riffle.connectors.jdbc;

import io.riffle.connectors.ConnectorConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.stream.Collectors;

/**
 * What the {@code postgres} source needs on the server: {@code wal_level=logical}, a user allowed to replicate, the
 * replication slot (created when missing and {@code create_slot} allows) and, for pgoutput, the publication
 * (created when missing and {@code create_publication} allows). Errors name the field to fix.
 */
final class CdcSetup {
    private CdcSetup() {
    }

    /** Checks {@code wal_level} and the user's replication privilege (probe). */
    static void checkServer(Connection c, CdcSettings s, ConnectorConfig config) throws SQLException {
        var walLevel = scalar(c, "SHOW wal_level");
        if (!"logical".equals(walLevel)) {
            throw config.invalid("db_host", "the server at " + s.endpoint().address() + " has wal_level="
                + walLevel + "; change data capture needs wal_level=logical in postgresql.conf (and a restart)");
        }
        var allowed = scalar(c, "SELECT (rolreplication OR rolsuper)::text FROM pg_roles WHERE rolname = current_user");
        if (!"true".equals(allowed)) {
            throw config.invalid("db_user", "user '" + s.endpoint().user() + "' may not replicate; run ALTER ROLE "
                + s.endpoint().user() + " WITH REPLICATION");
        }
    }

    /**
     * Makes sure the publication (pgoutput) and the slot exist and fit; creates them when allowed and not
     * {@code checkOnly}.
     */
    static void prepare(Connection c, CdcSettings s, ConnectorConfig config, boolean checkOnly) throws SQLException {
        var slotExists = checkSlot(c, s, config);
        if (s.plugin().equals(CdcSettings.PGOUTPUT)) {
            preparePublication(c, s, config, checkOnly);
        }
        if (!slotExists && !checkOnly) {
            createSlot(c, s, config);
        }
    }

    private static void preparePublication(Connection c, CdcSettings s, ConnectorConfig config, boolean checkOnly)
        throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, s.publication());
            if (ps.executeQuery().next()) {
                return;
            }
        }
        if (!s.createPublication()) {
            throw config.invalid("publication", "publication '" + s.publication() + "' does not exist in database '"
                + s.endpoint().database() + "' and create_publication is false");
        }
        if (checkOnly) {
            checkPublicationTarget(c, s, config);
            return;
        }
        var target = s.publicationTables().isEmpty() ? "ALL TABLES" : "TABLE " + s.publicationTables().stream()
            .map(CdcSetup::quoteQualified).collect(Collectors.joining(", "));
        try (var st = c.createStatement()) {
            st.execute("CREATE PUBLICATION " + quote(s.publication()) + " FOR " + target);
        } catch (SQLException e) {
            if (!"42710".equals(e.getSQLState())) {
                throw config.invalid("publication", "could not create publication '" + s.publication() + "': "
                    + ConnectFailures.firstLine(e));
            }
        }
    }

    /** What creating the publication will need: a superuser for all tables, else tables that exist. */
    private static void checkPublicationTarget(Connection c, CdcSettings s, ConnectorConfig config)
        throws SQLException {
        var tables = s.publicationTables();
        if (tables.isEmpty()) {
            if (!"true".equals(scalar(c, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"))) {
                throw config.invalid("publication_tables", "publication '" + s.publication() + "' does not exist, "
                    + "and creating it FOR ALL TABLES needs a superuser; list the tables, or create the publication");
            }
            return;
        }
        for (int i = 0; i < tables.size(); i++) {
            try (var ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, quoteQualified(tables.get(i)));
                try (var rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        throw config.invalid("publication_tables[" + i + "]", "table '" + tables.get(i)
                            + "' does not exist in database '" + s.endpoint().database() + "'");
                    }
                }
            }
        }
    }

    /** True when the slot exists (and fits); false when it is missing and may be created. */
    private static boolean checkSlot(Connection c, CdcSettings s, ConnectorConfig config) throws SQLException {
        try (var ps = c.prepareStatement(
            "SELECT plugin, database, slot_type FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, s.slot());
            var rs = ps.executeQuery();
            if (rs.next()) {
                if (!"logical".equals(rs.getString(3)) || !s.endpoint().database().equals(rs.getString(2))) {
                    throw config.invalid("replication_slot", "slot '" + s.slot() + "' is not a logical slot of "
                        + "database '" + s.endpoint().database() + "'");
                }
                if (!s.plugin().equals(rs.getString(1))) {
                    throw config.invalid("replication_output_plugin_name", "slot '" + s.slot() + "' decodes with "
                        + rs.getString(1) + ", not " + s.plugin());
                }
                return true;
            }
        }
        if (!s.createSlot()) {
            throw config.invalid("replication_slot", "slot '" + s.slot() + "' does not exist and create_slot is false");
        }
        return false;
    }

    private static void createSlot(Connection c, CdcSettings s, ConnectorConfig config) throws SQLException {
        try (var ps = c.prepareStatement("SELECT pg_create_logical_replication_slot(?, ?)")) {
            ps.setString(1, s.slot());
            ps.setString(2, s.plugin());
            ps.execute();
        } catch (SQLException e) {
            if (!"42710".equals(e.getSQLState())) {
                var field = "58P01".equals(e.getSQLState()) ? "replication_output_plugin_name" : "replication_slot";
                throw config.invalid(field, "could not create slot '" + s.slot() + "' with " + s.plugin() + ": "
                    + ConnectFailures.firstLine(e));
            }
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String quoteQualified(String name) {
        var dot = name.indexOf('.');
        return dot < 0 ? quote(name) : quote(name.substring(0, dot)) + "." + quote(name.substring(dot + 1));
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
