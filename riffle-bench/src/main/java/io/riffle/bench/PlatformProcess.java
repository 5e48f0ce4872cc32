package io.riffle.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code java -jar riffle.jar up} as a child process against the bench's nats-server, with its own embedded
 * PostgreSQL under a fresh data dir (what {@code riffle up} does for a user). Closing stops it with SIGTERM (so a
 * JFR recording is dumped) and deletes the data dir.
 */
final class PlatformProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /**
     * 256 MiB per stream instead of the default 1 GiB. Why: JetStream reserves each stream's byte limit against the
     * server's file store (75% of free disk by default), and a pipeline has three streams, so with the default B7's
     * 20 pipelines would need 60 GiB of free disk. The largest run here stores well under 100 MiB per stream.
     */
    static final long MAX_STREAM_BYTES = 256L << 20;
    private final Process process;
    private final Path dataDir;
    private final int port;

    private PlatformProcess(Process process, Path dataDir, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
    }

    static PlatformProcess start(Path jar, List<String> jvmOpts, Path jfr, String natsUrl) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist; build it first (./riffle build)");
        }
        try {
            var dataDir = Files.createTempDirectory("riffle-bench");
            int port = freePort();
            var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var cmd = new ArrayList<String>();
            cmd.add(java);
            cmd.addAll(jvmOpts);
            if (jfr != null) {
                cmd.add("-XX:StartFlightRecording=filename=" + jfr.toAbsolutePath() + ",settings=profile,dumponexit=true");
            }
            cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "up"));
            var pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("riffle.log").toFile());
            var env = pb.environment();
            env.put("RIFFLE_DATA_DIR", dataDir.toString());
            env.put("RIFFLE_HTTP_PORT", Integer.toString(port));
            env.put("RIFFLE_NATS_URL", natsUrl);
            env.put("RIFFLE_NATS_PREFIX", "RIFFLE");
            env.put("RIFFLE_MAX_STREAM_BYTES", Long.toString(MAX_STREAM_BYTES));
            var platform = new PlatformProcess(pb.start(), dataDir, port);
            platform.awaitReady();
            return platform;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("riffle exited at start:\n" + logTail());
            }
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 && Files.exists(dataDir.resolve("admin.token"))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for riffle", e);
            }
            Waits.sleep(Duration.ofMillis(100)); // poll interval: a refused connection returns at once
        }
        throw new IllegalStateException("riffle was not ready within " + READY_TIMEOUT + ":\n" + logTail());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Path dataDir() {
        return dataDir;
    }

    int port() {
        return port;
    }

    String adminToken() {
        try {
            return Files.readString(dataDir.resolve("admin.token")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    String logTail() {
        try {
            var lines = Files.readAllLines(dataDir.resolve("riffle.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        var children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
