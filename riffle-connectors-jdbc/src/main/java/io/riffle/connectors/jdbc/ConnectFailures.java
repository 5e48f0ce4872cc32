package io.riffle.connectors.jdbc;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.core.InvalidInputException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/** Turns a failed connection attempt into an error naming the connector field at fault. */
final class ConnectFailures {
    private ConnectFailures() {
    }

    /** The field a PostgreSQL connection failure points at, with a message for the user. */
    static InvalidInputException postgres(ConnectorConfig config, DbEndpoint endpoint, SQLException e) {
        var state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "28P01" -> config.invalid("db_pass", "password authentication failed for user '"
                + endpoint.user() + "'");
            case "28000" -> config.invalid("db_user", "the server refused user '" + endpoint.user() + "': "
                + firstLine(e));
            case "3D000" -> config.invalid("db_name", "database '" + endpoint.database() + "' does not exist on "
                + endpoint.address());
            default -> network(config, endpoint, e);
        };
    }

    /** The field a MariaDB/MySQL connection failure points at, with a message for the user. */
    static InvalidInputException mysql(ConnectorConfig config, DbEndpoint endpoint, SQLException e) {
        return switch (serverErrorCode(e)) {
            // 1045: user or password refused; 1698: a user without a password refused (MariaDB)
            case 1045, 1698 -> config.invalid(endpoint.password().isEmpty() ? "db_user" : "db_pass",
                "access denied for user '" + endpoint.user() + "' (check db_user and db_pass)");
            case 1044, 1049 -> config.invalid("db_name", "database '" + endpoint.database()
                + "' does not exist or user '" + endpoint.user() + "' may not use it");
            default -> network(config, endpoint, e);
        };
    }

    private static InvalidInputException network(ConnectorConfig config, DbEndpoint endpoint, SQLException e) {
        var cause = rootCause(e);
        String why;
        if (cause instanceof UnknownHostException) {
            why = "unknown host '" + endpoint.host() + "'";
        } else if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            why = "nothing accepts connections at " + endpoint.address() + " (check db_host and db_port)";
        } else if (cause instanceof SocketTimeoutException) {
            why = endpoint.address() + " did not answer in time";
        } else {
            why = "cannot connect to " + endpoint.address() + ": " + firstLine(e);
        }
        return config.invalid("db_host", why);
    }

    /**
     * The server's error code: the MariaDB driver may wrap the server's refusal (1045 access denied) in a
     * connection exception of its own whose code is 0.
     */
    private static int serverErrorCode(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() != 0) {
                return sql.getErrorCode();
            }
        }
        var message = String.valueOf(e.getMessage());
        return message.contains("Access denied for user") ? 1045 : 0;
    }

    static Throwable rootCause(Throwable e) {
        var t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The first line of an exception's message, without the server's {@code ERROR: } prefix. */
    static String firstLine(Throwable e) {
        var m = String.valueOf(e.getMessage()).strip();
        var nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl).strip();
        }
        return m.regionMatches(true, 0, "ERROR: ", 0, 7) ? m.substring(7) : m;
    }
}
