package io.riffle.app;

import io.riffle.core.RiffleException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code nats-server -js} owned by Riffle: loopback only, its JetStream store under the data dir, the same port
 * across restarts when it is free, and a user and password that only Riffle knows: generated at first start into
 * {@code nats/password} (0600), handed to the server in its config file {@code nats/nats.conf} (0600, never on a
 * command line, where every local user could read it), and to Riffle's own connection in {@link #url()}. The
 * directory is 0700. Stopped on close.
 */
final class EmbeddedNats implements AutoCloseable {
    static final String USER = "riffle";
    private final Process process;
    private final int port;
    private final String password;

    private EmbeddedNats(Process process, int port, String password) {
        this.process = process;
        this.port = port;
        this.password = password;
    }

    static EmbeddedNats start(Path dir, String binary) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            var pidFile = dir.resolve("nats-server.pid");
            PidFiles.stopLeftover(pidFile, "nats-server");
            int port = rememberedPort(dir.resolve("port"));
            var passwordFile = dir.resolve("password");
            if (!Files.exists(passwordFile)) {
                Secrets.writePrivate(passwordFile, Secrets.randomHex(24) + "\n");
            }
            var password = Secrets.read(passwordFile).strip();
            var config = dir.resolve("nats.conf");
            Secrets.writePrivate(config, config(port, dir.resolve("jetstream"), password));
            var log = dir.resolve("nats-server.log");
            var process = new ProcessBuilder(List.of(binary, "-c", config.toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            PidFiles.write(pidFile, process.pid());
            awaitListening(process, port, log);
            return new EmbeddedNats(process, port, password);
        } catch (IOException e) {
            throw new RiffleException("cannot start " + binary + ": " + e.getMessage(), e);
        }
    }

    /** The server's configuration: loopback, JetStream under the data dir, one user with a password. */
    static String config(int port, Path storeDir, String password) {
        return "listen: \"127.0.0.1:" + port + "\"\n"
            + "jetstream {\n  store_dir: " + quoted(storeDir.toString()) + "\n}\n"
            + "authorization {\n  user: " + quoted(USER) + "\n  password: " + quoted(password) + "\n}\n";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@code nats-server} from {@code RIFFLE_NATS_SERVER}, the PATH, /usr/sbin or /usr/local/bin. */
    static String findBinary(java.util.Map<String, String> env) {
        var configured = env.get("RIFFLE_NATS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        var path = env.getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/bin:/opt/homebrew/bin";
        for (var dir : path.split(":")) {
            var candidate = Path.of(dir.isEmpty() ? "." : dir, "nats-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new RiffleException("nats-server was not found: install it (Debian/Ubuntu: apt-get install "
            + "nats-server; macOS: brew install nats-server) or set RIFFLE_NATS_URL to an existing NATS with "
            + "JetStream");
    }

    /** {@code nats://riffle:<password>@127.0.0.1:<port>}: a secret; print it only through {@link Redact}. */
    String url() {
        return "nats://" + USER + ":" + password + "@127.0.0.1:" + port;
    }

    private static int rememberedPort(Path file) throws IOException {
        if (Files.exists(file)) {
            try {
                int port = Integer.parseInt(Files.readString(file).trim());
                try (var s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return s.getLocalPort();
                } catch (IOException taken) {
                    // fall through to a fresh port
                }
            } catch (NumberFormatException ignored) {
                // fall through to a fresh port
            }
        }
        int port;
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(file, Integer.toString(port));
        return port;
    }

    private static void awaitListening(Process process, int port, Path log) {
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new RiffleException("nats-server exited at start; see " + log);
            }
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 250);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new RiffleException("nats-server did not listen on 127.0.0.1:" + port + " within 30 s; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
