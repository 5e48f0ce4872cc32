package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's {@code prometheus} package) scrapes a running Riffle and sees the per-pipeline
 * series; {@code promtool} accepts the shipped scrape config and alert rules.
 */
class PrometheusScrapeIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RiffleProcess riffle;
    private static Process prometheus;
    private static int prometheusPort;
    private static Path dir;

    @BeforeAll
    static void start() throws IOException {
        assertThat(Path.of("/usr/bin/prometheus")).as("Debian package prometheus (apt-get install prometheus)")
            .exists();
        riffle = RiffleProcess.embedded(Map.of()).start();
        dir = Files.createTempDirectory("riffle-prometheus");
        prometheusPort = freePort();
        var target = URI.create(riffle.baseUrl()).getAuthority();
        Files.writeString(dir.resolve("prometheus.yml"), """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: riffle
                static_configs:
                  - targets: ["%s"]
            """.formatted(target));
        prometheus = new ProcessBuilder(List.of("/usr/bin/prometheus",
            "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + prometheusPort)).redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(20, TimeUnit.SECONDS);
        }
        if (riffle != null) {
            riffle.close();
        }
    }

    @Test
    void prometheusScrapesThePerPipelineSeries() {
        var api = Api.of(riffle);
        var space = api.createSpace("monitoring");
        var p = api.createPipeline(space, "scraped", """
            def handler(data, log):
                if data["n"] % 10 == 0:
                    raise ValueError("tenth")
                return data
            """, Map.of());
        api.awaitReady(p);
        var events = new ArrayList<String>();
        for (int i = 1; i <= 50; i++) {
            events.add("{\"n\":" + i + "}");
        }
        api.publishBatch(p, events);
        api.consumeResults(p, 45, Duration.ofSeconds(60));

        var out = Await.awaitValue("Prometheus has scraped the results counter", Duration.ofSeconds(60),
            () -> query("riffle_pipeline_events_out_total{pipeline=\"" + p.id() + "\"}"), v -> v >= 45);
        assertThat(out).isEqualTo(45.0);
        assertThat(Await.awaitValue("dead letters counted", Duration.ofSeconds(30),
            () -> query("riffle_pipeline_events_failed_total{pipeline=\"" + p.id() + "\"}"), v -> v >= 5))
            .isEqualTo(5.0);
        assertThat(Await.awaitValue("accepted events counted", Duration.ofSeconds(30),
            () -> query("riffle_pipeline_events_in_total{pipeline=\"" + p.id() + "\"}"), v -> v >= 50))
            .isEqualTo(50.0);
        assertThat(Await.awaitValue("latency histogram present", Duration.ofSeconds(30),
            () -> query("riffle_pipeline_latency_seconds_count{pipeline=\"" + p.id() + "\"}"), v -> v >= 50))
            .isEqualTo(50.0);
    }

    @Test
    void shippedConfigAndAlertRulesAreValid() throws Exception {
        var root = Path.of(System.getProperty("riffle.root", ".."));
        var rules = root.resolve("deploy/prometheus/riffle-alerts.yml");
        assertThat(run("promtool", "check", "rules", rules.toString())).isZero();
        var config = dir.resolve("shipped.yml");
        Files.copy(root.resolve("deploy/prometheus/prometheus.yml"), config);
        Files.copy(rules, dir.resolve("riffle-alerts.yml"));
        assertThat(run("promtool", "check", "config", config.toString())).isZero();
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("promtool.log").toFile())
            .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    /** The value of an instant query with one series, or -1 when there is none yet. */
    private static double query(String promql) {
        var url = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
            + URLEncoder.encode("sum(" + promql + ")", StandardCharsets.UTF_8);
        try {
            var r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            var result = Api.JSON.readTree(r.body()).path("data").path("result");
            return result.isEmpty() ? -1 : result.get(0).path("value").get(1).asDouble();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(e));
        }
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
