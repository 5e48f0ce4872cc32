package io.riffle.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real PostgreSQL schema for one test class, dropped on close. Uses {@code RIFFLE_TEST_DATABASE_URL}
 * (default: the local server, {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); when that server
 * cannot be reached, an embedded PostgreSQL shared by the JVM.
 */
public final class TestDatabase implements AutoCloseable {
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static EmbeddedPostgres embedded;
    private final String baseUrl;
    private final String schema;

    private TestDatabase(String baseUrl, String schema) {
        this.baseUrl = baseUrl;
        this.schema = schema;
    }

    /** Creates a fresh, uniquely named schema. */
    public static TestDatabase create() {
        var url = System.getenv().getOrDefault("RIFFLE_TEST_DATABASE_URL", DEFAULT_URL);
        if (!reachable(url)) {
            url = embeddedUrl();
        }
        var schema = "riffle_t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        var db = new TestDatabase(url, schema);
        db.execute("CREATE SCHEMA " + schema);
        return db;
    }

    /** The base JDBC URL, without the schema. */
    public String baseUrl() {
        return baseUrl;
    }

    /** This test's schema name. */
    public String schema() {
        return schema;
    }

    /** A JDBC URL whose connections use this schema. */
    public String jdbcUrl() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** The PostgreSQL server's {@code host:port}, for a {@link TcpProxy} in front of it. */
    public java.net.InetSocketAddress address() {
        var m = java.util.regex.Pattern.compile("^jdbc:postgresql://([^/:?]+)(?::(\\d+))?").matcher(baseUrl);
        if (!m.find()) {
            throw new IllegalStateException("no host in " + baseUrl);
        }
        return java.net.InetSocketAddress.createUnresolved(m.group(1),
            m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)));
    }

    /** {@link #jdbcUrl()} with the server's address replaced by {@code 127.0.0.1:proxyPort}. */
    public String jdbcUrlVia(int proxyPort) {
        return jdbcUrl().replaceFirst("^jdbc:postgresql://[^/?]+", "jdbc:postgresql://127.0.0.1:" + proxyPort);
    }

    /** Runs one SQL statement on this schema. */
    public void execute(String sql) {
        try (var c = DriverManager.getConnection(baseUrl); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static boolean reachable(String url) {
        try (var c = DriverManager.getConnection(url)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static synchronized String embeddedUrl() {
        try {
            if (embedded == null) {
                embedded = EmbeddedPostgres.builder().start();
            }
            return embedded.getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL reachable and the embedded one did not start", e);
        }
    }

    @Override
    public void close() {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
