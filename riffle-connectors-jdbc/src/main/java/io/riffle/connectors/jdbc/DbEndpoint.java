package io.riffle.connectors.jdbc;

import io.riffle.connectors.ConnectorConfig;
import java.util.List;

/**
 * Where and as whom a connector connects: GlassFlow's {@code db_host}, {@code db_port}, {@code db_user},
 * {@code db_pass}, {@code db_name}, {@code db_sslmode}. {@link #toString()} leaves the password out.
 */
record DbEndpoint(String host, int port, String user, String password, String database, String sslmode) {
    static final List<String> POSTGRES_SSL_MODES =
        List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    static final List<String> MYSQL_SSL_MODES = List.of("disable", "require", "verify-ca", "verify-full");

    /**
     * Reads the connection fields, checking their shape only.
     *
     * @param sslModes the {@code db_sslmode} values this database accepts; the first is the default
     */
    static DbEndpoint from(ConnectorConfig config, int defaultPort, List<String> sslModes) {
        var host = config.string("db_host").trim();
        if (host.contains("/") || host.contains(" ")) {
            throw config.invalid("db_host", "must be a host name or address; got '" + host + "'");
        }
        var port = config.integer("db_port", defaultPort, 1, 65_535);
        var user = config.string("db_user");
        var password = password(config);
        var database = config.string("db_name");
        var sslmode = config.choice("db_sslmode", sslModes.getFirst(), sslModes);
        return new DbEndpoint(host, port, user, password, database, sslmode);
    }

    /** {@code db_pass}; empty when it is a secret reference and only the shape is checked (no secrets at hand). */
    private static String password(ConnectorConfig config) {
        try {
            return config.string("db_pass", "");
        } catch (IllegalStateException e) {
            return "";
        }
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return user + "@" + address() + "/" + database;
    }
}
