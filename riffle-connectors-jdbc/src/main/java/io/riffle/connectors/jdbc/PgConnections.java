package io.riffle.connectors.jdbc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGProperty;

/** Opens PostgreSQL connections for an endpoint: plain ones, and logical replication ones. */
final class PgConnections {
    /** How long a connector waits for a connection before it counts the server as unreachable. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long one statement may wait for the server before the connection counts as lost. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private PgConnections() {
    }

    static Connection open(DbEndpoint endpoint, String applicationName) throws SQLException {
        return DriverManager.getConnection(url(endpoint), properties(endpoint, applicationName));
    }

    /** A connection in {@code replication=database} mode, as pgjdbc's replication API needs. */
    static Connection openReplication(DbEndpoint endpoint, String applicationName) throws SQLException {
        var props = properties(endpoint, applicationName);
        PGProperty.REPLICATION.set(props, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        return DriverManager.getConnection(url(endpoint), props);
    }

    private static String url(DbEndpoint endpoint) {
        return "jdbc:postgresql://" + endpoint.address() + "/"
            + URLEncoder.encode(endpoint.database(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Properties properties(DbEndpoint endpoint, String applicationName) {
        var props = new Properties();
        PGProperty.USER.set(props, endpoint.user());
        if (!endpoint.password().isEmpty()) {
            PGProperty.PASSWORD.set(props, endpoint.password());
        }
        PGProperty.SSL_MODE.set(props, endpoint.sslmode());
        PGProperty.CONNECT_TIMEOUT.set(props, (int) CONNECT_TIMEOUT.toSeconds());
        PGProperty.LOGIN_TIMEOUT.set(props, (int) CONNECT_TIMEOUT.toSeconds());
        PGProperty.SOCKET_TIMEOUT.set(props, (int) SOCKET_TIMEOUT.toSeconds());
        PGProperty.TCP_KEEP_ALIVE.set(props, true);
        PGProperty.APPLICATION_NAME.set(props, applicationName);
        // Lets the server infer a parameter's type from its column, so JSON text fits integer or jsonb columns.
        PGProperty.STRING_TYPE.set(props, "unspecified");
        return props;
    }
}
