package io.riffle.store;

import io.riffle.core.UnavailableException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from Maven Central's binaries, for {@code riffle up} when {@code RIFFLE_DATABASE_URL} is
 * unset. Its data live in {@code <dataDir>/postgres} and survive restarts; it listens on the port it had last time
 * when that port is free. It trusts no one: the {@code postgres} user's password is generated at first start into
 * {@code <dataDir>/postgres.password} (0600), and {@code pg_hba.conf} asks every connection, TCP or socket, for it
 * (scram-sha-256). Not thread-safe; start and close it from one thread.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    static final String PORT_FILE = "postgres.port";
    static final String PASSWORD_FILE = "postgres.password";
    static final String HBA = """
        # Written by Riffle: every connection needs the password in postgres.password next to this directory.
        local   all   all                 scram-sha-256
        host    all   all   127.0.0.1/32  scram-sha-256
        host    all   all   ::1/128       scram-sha-256
        """;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Starts PostgreSQL on {@code dataDir}, creating the cluster on first use.
     *
     * @throws UnavailableException when it does not start
     */
    public static EmbeddedDatabase start(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        try {
            Files.createDirectories(dataDir);
            int port = port(dataDir);
            var password = password(dataDir.resolve(PASSWORD_FILE));
            var postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setPort(port)
                .setConnectConfig("password", password)
                .start();
            try {
                requirePassword(postgres, dataDir.resolve("postgres").resolve("pg_hba.conf"), password);
            } catch (IOException | SQLException | RuntimeException e) {
                postgres.close();
                throw e;
            }
            LOG.info("Embedded PostgreSQL started on port {} with data in {}", port, dataDir.resolve("postgres"));
            return new EmbeddedDatabase(postgres, password);
        } catch (IOException | SQLException | RuntimeException e) {
            throw new UnavailableException("embedded PostgreSQL did not start in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code jdbc:postgresql://localhost:PORT/postgres?user=postgres&password=...}: a secret, never print it. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/postgres?user=postgres&password=" + password;
    }

    /**
     * The cluster was made by {@code initdb -A trust} (first start, or a data dir of an older Riffle): set the
     * password, then require it from everyone. Done while nothing else runs, before any function is started.
     */
    private static void requirePassword(EmbeddedPostgres postgres, Path hba, String password)
        throws IOException, SQLException {
        if (Files.readString(hba, StandardCharsets.UTF_8).equals(HBA)) {
            return;
        }
        try (var connection = postgres.getPostgresDatabase().getConnection();
             var statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE postgres PASSWORD '" + password + "'"); // hex: nothing to escape
            Files.writeString(hba, HBA, StandardCharsets.UTF_8);
            statement.execute("SELECT pg_reload_conf()");
        }
        LOG.info("Embedded PostgreSQL now asks every connection for the password in {}", PASSWORD_FILE);
    }

    /** The password in {@code file}, generated (32 hex characters, file mode 0600) when missing. */
    private static String password(Path file) throws IOException {
        if (!Files.exists(file)) {
            var random = new byte[16];
            new SecureRandom().nextBytes(random);
            var tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        var text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!text.matches("[0-9a-f]{16,128}")) {
            throw new IOException(file + " must hold the hex password Riffle generated; delete it only together "
                + "with the postgres directory");
        }
        return text;
    }

    public int port() {
        return postgres.getPort();
    }

    /** Stops PostgreSQL (a fast shutdown), waiting a bounded time (pg_ctl's own wait, then ours). */
    @Override
    public void close() {
        var stopper = Thread.ofVirtual().name("riffle-embedded-postgres-stop").start(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            if (!stopper.join(STOP_TIMEOUT)) {
                LOG.warn("Embedded PostgreSQL did not stop within {} s; leaving it to its shutdown hook",
                    STOP_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The port remembered from the last start when it is free, else a new free port (remembered for next time). */
    private static int port(Path dataDir) throws IOException {
        var file = dataDir.resolve(PORT_FILE);
        if (Files.exists(file)) {
            try {
                int remembered = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim());
                if (free(remembered)) {
                    return remembered;
                }
                LOG.info("Embedded PostgreSQL port {} is taken; choosing another", remembered);
            } catch (NumberFormatException e) {
                LOG.warn("Ignoring {}: not a port number", file);
            }
        }
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.writeString(file, Integer.toString(port), StandardCharsets.UTF_8);
        return port;
    }

    private static boolean free(int port) {
        if (port < 1 || port > 65_535) {
            return false;
        }
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
