package io.riffle.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code nats-server -js} for one test class: its own process on a free loopback port with its own store
 * directory, so tests can kill and restart it. Set {@code RIFFLE_TEST_NATS_URL} to use an existing server instead
 * (then {@link #restart()} is not available). Every instance also hands out a unique stream prefix.
 */
public final class TestNats implements AutoCloseable {
    private final String externalUrl;
    private final Path storeDir;
    private final int port;
    private final String prefix;
    private Process process;

    private TestNats(String externalUrl, Path storeDir, int port) {
        this.externalUrl = externalUrl;
        this.storeDir = storeDir;
        this.port = port;
        this.prefix = "T" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).toUpperCase();
    }

    /** Starts a server (or attaches to {@code RIFFLE_TEST_NATS_URL}). */
    public static TestNats start() {
        var external = System.getenv("RIFFLE_TEST_NATS_URL");
        if (external != null && !external.isBlank()) {
            return new TestNats(external, null, -1);
        }
        try {
            var nats = new TestNats(null, Files.createTempDirectory("riffle-test-nats"), freePort());
            nats.launch();
            return nats;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a server whose store (and log) is in {@code storeDir}, e.g. on a small file system of the test's own.
     * The directory is emptied on close, not removed.
     */
    public static TestNats startIn(Path storeDir) {
        try {
            Files.createDirectories(storeDir);
            var nats = new TestNats(null, storeDir, freePort());
            nats.launch();
            return nats;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's URL, {@code nats://127.0.0.1:PORT}. */
    public String url() {
        return externalUrl != null ? externalUrl : "nats://127.0.0.1:" + port;
    }

    /** What the server logged so far (empty when attached to an external server). */
    public String log() {
        try {
            return storeDir == null ? "" : Files.readString(storeDir.resolve("server.log"));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** A prefix unique to this instance, for stream names, so that runs never collide. */
    public String prefix() {
        return prefix;
    }

    /** Kills the server with SIGKILL, keeping its store. */
    public void kill() {
        requireOwn();
        process.destroyForcibly();
        waitFor(process);
    }

    /** Starts the server again on the same port and store, and waits until it accepts connections. */
    public void restart() {
        requireOwn();
        if (process.isAlive()) {
            kill();
        }
        launch();
    }

    private void launch() {
        var binary = findNatsServer();
        var cmd = new ArrayList<>(List.of(binary, "-a", "127.0.0.1", "-p", Integer.toString(port), "-js",
            "-sd", storeDir.toString()));
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(storeDir.resolve("server.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server exited at start; see " + storeDir.resolve("server.log"));
            }
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("nats-server did not listen on :" + port + " within 20 s");
    }

    /** {@code nats-server} from {@code RIFFLE_NATS_SERVER}, the PATH, or /usr/sbin. */
    public static String findNatsServer() {
        var configured = System.getenv("RIFFLE_NATS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        var path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/bin";
        for (var dir : path.split(":")) {
            var candidate = Path.of(dir.isEmpty() ? "." : dir, "nats-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("nats-server is not installed (apt-get install nats-server)");
    }

    private void requireOwn() {
        if (process == null) {
            throw new IllegalStateException("this test needs its own nats-server; unset RIFFLE_TEST_NATS_URL");
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        waitFor(process);
        if (process.isAlive()) {
            process.destroyForcibly();
            waitFor(process);
        }
        try (Stream<Path> files = Files.walk(storeDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
