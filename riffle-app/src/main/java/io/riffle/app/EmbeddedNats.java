package io.riffle.app;

import io.riffle.core.RiffleException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code nats-server -js} owned by Riffle: loopback only, its JetStream store under the data dir, the same port
 * across restarts when it is free. Stopped on close.
 */
final class EmbeddedNats implements AutoCloseable {
    private final Process process;
    private final int port;

    private EmbeddedNats(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static EmbeddedNats start(Path dir, String binary) {
        try {
            Files.createDirectories(dir);
            var pidFile = dir.resolve("nats-server.pid");
            PidFiles.stopLeftover(pidFile, "nats-server");
            int port = rememberedPort(dir.resolve("port"));
            var log = dir.resolve("nats-server.log");
            var process = new ProcessBuilder(List.of(binary, "-a", "127.0.0.1", "-p", Integer.toString(port), "-js",
                "-sd", dir.resolve("jetstream").toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            PidFiles.write(pidFile, process.pid());
            awaitListening(process, port, log);
            return new EmbeddedNats(process, port);
        } catch (IOException e) {
            throw new RiffleException("cannot start " + binary + ": " + e.getMessage(), e);
        }
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

    String url() {
        return "nats://127.0.0.1:" + port;
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
