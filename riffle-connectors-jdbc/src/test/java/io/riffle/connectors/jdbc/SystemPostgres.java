package io.riffle.connectors.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster started from the system's PostgreSQL binaries (Debian's
 * {@code /usr/lib/postgresql/N}), with {@code wal_level=logical}: for the wal2json plugin, which the embedded
 * binaries cannot load. As root the server runs as the {@code postgres} user through {@code setpriv}, since
 * PostgreSQL refuses to run as root. {@link #find} says why it cannot run here, if it cannot.
 */
final class SystemPostgres implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private SystemPostgres(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** The {@code bin} directory of a system PostgreSQL that has {@code plugin}.so, or empty. */
    static Optional<Path> find(String plugin) {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/postgres"))
                    && Files.exists(v.resolve("lib/" + plugin + ".so")))
                .max(Comparator.naturalOrder()).map(v -> v.resolve("bin"))
                .filter(bin -> !isRoot() || Files.isExecutable(Path.of("/usr/bin/setpriv")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static SystemPostgres start(Path bin, String outputPlugin) {
        try {
            var dir = Files.createTempDirectory("riffle-system-pg");
            if (isRoot()) {
                run(List.of("chown", "postgres:postgres", dir.toString()));
            }
            run(asPostgres(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                "-U", "postgres", "-A", "trust", "-E", "UTF8")));
            int port = freePort();
            var command = asPostgres(List.of(bin.resolve("postgres").toString(), "-D", dir.resolve("data").toString(),
                "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
                "-c", "wal_level=logical", "-c", "max_replication_slots=10", "-c", "max_wal_senders=10"));
            if (Files.readString(dir.resolve("data/postgresql.conf")).contains("output_plugin_libraries")) {
                // This build restricts which libraries may decode for replication users.
                command.addAll(List.of("-c", "output_plugin_libraries=" + outputPlugin));
            }
            var process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
            var pg = new SystemPostgres(dir, port, process);
            pg.awaitReady();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        Poll.until("the system PostgreSQL on port " + port, Duration.ofSeconds(60), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the system PostgreSQL exited: " + log());
            }
            try (var c = DriverManager.getConnection(jdbcUrl())) {
                return c.isValid(2);
            } catch (SQLException e) {
                return false;
            }
        });
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    void execute(String... statements) {
        try (var c = DriverManager.getConnection(jdbcUrl()); var s = c.createStatement()) {
            for (var sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(List<String> command) {
        var out = new ArrayList<String>();
        if (isRoot()) {
            out.addAll(List.of("/usr/bin/setpriv", "--reuid", "postgres", "--regid", "postgres", "--clear-groups"));
        }
        out.addAll(command);
        return out;
    }

    private static void run(List<String> command) throws IOException {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
