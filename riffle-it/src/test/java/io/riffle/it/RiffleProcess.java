package io.riffle.it;

import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestNats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code riffle} executable ({@code riffle-app/target/riffle.jar}) as a child process, the way a user runs
 * it. Two flavours: {@link #embedded} (RIFFLE_DATA_DIR only: embedded PostgreSQL and its own nats-server, as the
 * README's {@code ./riffle up}) and {@link #external} (a test schema and a test nats-server, so tests can kill and
 * restart NATS). The data dir survives {@link #kill()} and {@link #stop()}, so {@link #start()} again is a restart.
 */
public final class RiffleProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path dataDir;
    private final Map<String, String> env;
    private final String mode;
    private final int port;
    private Process process;
    private Path log;

    private RiffleProcess(Path dataDir, Map<String, String> env, String mode, int port) {
        this.dataDir = dataDir;
        this.env = env;
        this.mode = mode;
        this.port = port;
    }

    /** {@code riffle up} on embedded defaults in a fresh data dir. */
    public static RiffleProcess embedded(Map<String, String> extraEnv) {
        return create("up", null, null, extraEnv);
    }

    /** {@code riffle up} against the given PostgreSQL schema and nats-server. */
    public static RiffleProcess external(TestDatabase db, TestNats nats, Map<String, String> extraEnv) {
        return create("up", db, nats, extraEnv);
    }

    /** Any mode ({@code up}, {@code server}, {@code worker}) against the given PostgreSQL schema and nats-server. */
    public static RiffleProcess create(String mode, TestDatabase db, TestNats nats, Map<String, String> extraEnv) {
        try {
            var dir = Files.createTempDirectory("riffle-it");
            var env = new HashMap<String, String>();
            env.put("RIFFLE_DATA_DIR", dir.toString());
            int port = freePort();
            env.put("RIFFLE_HTTP_PORT", Integer.toString(port));
            if (db != null) {
                env.put("RIFFLE_DATABASE_URL", db.jdbcUrl());
            }
            if (nats != null) {
                env.put("RIFFLE_NATS_URL", nats.url());
                env.put("RIFFLE_NATS_PREFIX", nats.prefix());
            }
            env.putAll(extraEnv);
            return new RiffleProcess(dir, env, mode, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the process and waits until {@code /readyz} answers 200 (or, for a worker, a few seconds of life). */
    public RiffleProcess start() {
        var jar = Path.of(System.getProperty("riffle.jar", "../riffle-app/target/riffle.jar"));
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-jar", jar.toString(), mode));
        try {
            log = Files.createTempFile(dataDir, "riffle-", ".log");
            var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!"worker".equals(mode)) {
            awaitReady(Duration.ofSeconds(120));
        }
        return this;
    }

    private void awaitReady(Duration timeout) {
        var deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("riffle exited at start:\n" + logText());
            }
            try {
                var r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.onSpinWait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("riffle was not ready within " + timeout + ":\n" + logText());
    }

    /** {@code http://127.0.0.1:PORT} (add {@code /v1/...}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The admin's personal access token written at first start. */
    public String adminToken() {
        try {
            return Files.readString(dataDir.resolve("admin.token")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the process printed so far. */
    public String logText() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL of the riffle JVM (its children, such as the embedded nats-server, are left as a crash leaves them). */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM, as Ctrl-C: a clean stop. Returns the exit code. */
    public int stop() {
        process.destroy();
        if (!waitFor(Duration.ofSeconds(60))) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
        return process.exitValue();
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops the process (cleanly) if it runs; the data dir is left for inspection under the temp dir. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
