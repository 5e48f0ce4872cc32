package io.riffle.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real ClickHouse server ({@code /usr/sbin/clickhouse-server}, Debian's {@code clickhouse-server} package, which
 * {@code .ci/run} installs) as a child process on free loopback ports with its own data directory. User
 * {@value #USER} / {@value #PASSWORD}. {@link #stop()} and {@link #start()} keep the data.
 */
public final class TestClickHouse implements AutoCloseable {
    public static final String USER = "riffle";
    public static final String PASSWORD = "s3cret";
    private static final Path BINARY = Path.of("/usr/sbin/clickhouse-server");
    private final Path dir;
    private final int httpPort;
    private Process process;

    public TestClickHouse() throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's clickhouse-server (.ci/run does)");
        }
        dir = Files.createTempDirectory("riffle-clickhouse-");
        httpPort = Ports.free();
        Files.writeString(dir.resolve("config.xml"), """
            <?xml version="1.0"?>
            <yandex>
              <logger><level>warning</level><console>1</console></logger>
              <http_port>%d</http_port>
              <tcp_port>%d</tcp_port>
              <listen_host>127.0.0.1</listen_host>
              <path>%s/data/</path>
              <tmp_path>%s/tmp/</tmp_path>
              <user_files_path>%s/user_files/</user_files_path>
              <users_config>users.xml</users_config>
              <default_profile>default</default_profile>
              <default_database>default</default_database>
              <mark_cache_size>5368709</mark_cache_size>
            </yandex>
            """.formatted(httpPort, Ports.free(), dir, dir, dir));
        Files.writeString(dir.resolve("users.xml"), """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default></default></profiles>
              <users>
                <%s><password>%s</password><networks><ip>::/0</ip></networks><profile>default</profile>
                  <quota>default</quota></%s>
              </users>
              <quotas><default></default></quotas>
            </yandex>
            """.formatted(USER, PASSWORD, USER));
        start();
    }

    /** Starts the server (again) and waits until it answers {@code /ping}. */
    public void start() throws IOException {
        if (process != null) {
            return;
        }
        process = new ProcessBuilder(BINARY.toString(), "--config-file=" + dir.resolve("config.xml"))
            .directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile()).start();
        var deadline = Instant.now().plusSeconds(60);
        try (var http = HttpClient.newHttpClient()) {
            while (true) {
                try {
                    var ping = http.send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (ping.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("clickhouse-server did not start; see " + dir.resolve("server.log"));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting clickhouse-server", e);
        }
    }

    /** Stops the server; clients then get connection refused. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /** The HTTP interface, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Runs {@code sql} as {@value #USER} and returns the body. */
    public String sql(String sql) throws IOException, InterruptedException {
        try (var http = HttpClient.newHttpClient()) {
            var response = http.send(HttpRequest.newBuilder(URI.create(url() + "/"))
                .header("X-ClickHouse-User", USER).header("X-ClickHouse-Key", PASSWORD)
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(sql + " -> " + response.body());
            }
            return response.body();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
