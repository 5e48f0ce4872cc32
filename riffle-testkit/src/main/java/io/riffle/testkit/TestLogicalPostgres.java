package io.riffle.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private embedded PostgreSQL with {@code wal_level=logical}, for change data capture tests (the shared local
 * server is not configured for logical replication and must not be). It can be stopped and started again on the
 * same port with the same data, to test a database going away. Not thread-safe; one per test class.
 */
public final class TestLogicalPostgres implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;

    private TestLogicalPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts a new server on a free port with a fresh data directory. */
    public static TestLogicalPostgres start() {
        try {
            var dir = Files.createTempDirectory("riffle-logical-pg");
            var db = new TestLogicalPostgres(dir, freePort());
            db.resume();
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again after {@link #stop()}, with the same data and port. */
    public void resume() {
        if (postgres != null) {
            return;
        }
        try {
            postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("data"))
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "20")
                .setServerConfig("max_wal_senders", "20")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start on port " + port, e);
        }
    }

    /** Stops the server (a fast shutdown: sessions and replication connections are cut). */
    public void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** The superuser ({@code postgres}, no password). */
    public String user() {
        return "postgres";
    }

    /** The database tests use ({@code postgres}). */
    public String database() {
        return "postgres";
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** Runs SQL statements, each in its own transaction. */
    public void execute(String... statements) {
        try (var c = connect(); var s = c.createStatement()) {
            for (var sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
