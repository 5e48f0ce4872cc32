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
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real {@code riffle} executable ({@code riffle-app/target/riffle.jar}) as a child process, the way a user runs
 * it. Two flavours: {@link #embedded} (RIFFLE_DATA_DIR only: embedded PostgreSQL and its own nats-server, as the
 * README's {@code ./riffle up}) and {@link #external} (a test schema and a test nats-server, so tests can kill and
 * restart NATS). The data dir survives {@link #kill()} and {@link #stop()}, so {@link #start()} again is a restart.
 */
public final class RiffleProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path jarCopy;
    private final Path dataDir;
    private final Map<String, String> env;
    private final String mode;
    private final int port;
    private final List<ProcessHandle> orphans = new ArrayList<>();
    private Process process;
    private List<String> prefix = List.of();
    private Path log;
    private int starts;

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

    /**
     * Any mode ({@code up}, {@code server}, {@code worker}) against the given PostgreSQL schema and nats-server (null:
     * embedded). A {@code RIFFLE_DATA_DIR} in {@code extraEnv} is used as the data dir instead of a fresh temp dir.
     */
    public static RiffleProcess create(String mode, TestDatabase db, TestNats nats, Map<String, String> extraEnv) {
        try {
            // a test may choose the data dir (e.g. on a small file system of its own)
            var dir = extraEnv.containsKey("RIFFLE_DATA_DIR")
                ? Files.createDirectories(Path.of(extraEnv.get("RIFFLE_DATA_DIR")))
                : Files.createTempDirectory("riffle-it");
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

    /** Sets an environment variable of the next start (for settings that name {@link #baseUrl()}). */
    public RiffleProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs the java command behind {@code prefix} (e.g. a {@code setpriv} that switches users) from now on. */
    public RiffleProcess withCommandPrefix(List<String> words) {
        this.prefix = List.copyOf(words);
        return this;
    }

    /** Starts the process and waits until {@code /readyz} answers 200 (or, for a worker, a few seconds of life). */
    public RiffleProcess start() {
        var jar = jar();
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(java, "-XX:+UseSerialGC", "-jar", jar.toString(), mode));
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("riffle is running already (pid " + process.pid() + ")");
        }
        try {
            log = dataDir.resolve("riffle-" + (++starts) + ".log");
            var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!"worker".equals(mode)) {
            try {
                awaitReady(Duration.ofSeconds(120));
            } catch (RuntimeException e) {
                close(); // a failed start is never assigned to a test's variable: clean up here, or it leaks
                throw e;
            }
        }
        return this;
    }

    /**
     * A private copy of {@code riffle.jar}, taken once per test JVM: a JVM reads its jar lazily, so a rebuild of
     * {@code riffle-app} while tests run would otherwise break riffles that are already running.
     */
    private static synchronized Path jar() {
        if (jarCopy == null) {
            var source = Path.of(System.getProperty("riffle.jar", "../riffle-app/target/riffle.jar"));
            try {
                var copy = Files.createTempFile("riffle-it-", ".jar");
                copy.toFile().deleteOnExit();
                Files.copy(source, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                // readable by all: a test may run riffle as another user (NonRootIT)
                Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                jarCopy = copy;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + source + " (build riffle-app first)", e);
            }
        }
        return jarCopy;
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
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(Duration.ofMillis(100)); // a poll interval: a refused connection returns at once
        }
        throw new IllegalStateException("riffle was not ready within " + timeout + ":\n" + logText());
    }

    /** {@code http://127.0.0.1:PORT} (add {@code /v1/...}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The HTTP port. */
    public int port() {
        return port;
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

    /** Everything the process printed since its last start. */
    public String logText() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The last {@code lines} lines of {@link #logText()}, for failure messages. */
    public String logTail(int lines) {
        var all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** The Python worker processes (descendants whose command line names the {@code riffle_runtime} harness). */
    public List<ProcessHandle> pythonWorkers() {
        if (!alive()) {
            return List.of();
        }
        return process.descendants().filter(p -> p.info().commandLine().orElse("").contains("riffle_runtime"))
            .toList();
    }

    /**
     * SIGKILL of the riffle JVM. Its children (the embedded nats-server and PostgreSQL, Python workers) are left as a
     * crash leaves them; the next {@link #start()} or {@link #close()} stops those that are still there.
     */
    public void kill() {
        orphans.addAll(process.descendants().toList());
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

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

    /**
     * Stops the process (cleanly) if it runs, then whatever an earlier {@link #kill()} left behind: the embedded
     * nats-server and PostgreSQL named by their pid files, and any other former child. Keeps the logs under
     * {@code target/riffle-it-logs} and deletes the data dir (set {@code -Driffle.it.keep=true} to keep it).
     */
    @Override
    public void close() {
        if (alive()) {
            stop();
        }
        stopLeftover(dataDir.resolve("nats").resolve("nats-server.pid"), "nats-server");
        stopLeftover(dataDir.resolve("postgres").resolve("postmaster.pid"), "postgres");
        for (var p : orphans) {
            if (p.isAlive()) {
                p.destroyForcibly();
                awaitExit(p);
            }
        }
        orphans.clear();
        keepLogs();
        if (!Boolean.getBoolean("riffle.it.keep")) {
            deleteTree(dataDir);
        }
    }

    /** Stops the process named by the first line of {@code pidFile} if it runs and its command names {@code what}. */
    private static void stopLeftover(Path pidFile, String what) {
        readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
            .filter(p -> p.info().command().orElse("").contains(what))
            .ifPresent(p -> {
                p.destroy();
                if (!awaitExit(p)) {
                    p.destroyForcibly();
                    awaitExit(p);
                }
            });
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            var first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return first.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean awaitExit(ProcessHandle p) {
        try {
            p.onExit().get(20, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return !p.isAlive();
        }
    }

    private void keepLogs() {
        try {
            var target = Path.of("target", "riffle-it-logs", dataDir.getFileName().toString());
            Files.createDirectories(target);
            try (Stream<Path> logs = Files.list(dataDir)) {
                for (var f : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                    Files.copy(f, target.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException ignored) {
            // logs are a convenience
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
