package io.riffle.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.it.RiffleProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code riffle} CLI as a user runs it: {@code java -jar riffle.jar <command>} as a child process against a real
 * {@code riffle up}, credentials from {@code RIFFLE_SERVER}/{@code RIFFLE_TOKEN}. Asserts exit codes and output.
 */
class CliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL = Duration.ofSeconds(60);
    private static final String HANDLER = """
        def handler(data, log):
            log.info("got event %s", data["n"])
            return {"n": data["n"], "upper": data["name"].upper()}
        """;
    private static RiffleProcess riffle;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void up() {
        riffle = RiffleProcess.embedded(Map.of()).start();
    }

    @AfterAll
    static void down() {
        if (riffle != null) {
            riffle.close();
        }
    }

    private Run cli(Duration timeout, String... args) throws IOException, InterruptedException {
        return cli(timeout, Map.of(), null, args);
    }

    /**
     * Runs the CLI with the admin credential in the environment, changed by {@code env} (an empty value removes the
     * variable), and {@code stdin} (or nothing) as its input.
     */
    private Run cli(Duration timeout, Map<String, String> env, String stdin, String... args)
        throws IOException, InterruptedException {
        var jar = Path.of(System.getProperty("riffle.jar", "../riffle-app/target/riffle.jar"));
        var cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        var out = Files.createTempFile(dir, "out", ".txt");
        var err = Files.createTempFile(dir, "err", ".txt");
        var in = Files.writeString(Files.createTempFile(dir, "in", ".txt"), stdin == null ? "" : stdin);
        var pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
            .redirectError(err.toFile()).redirectInput(in.toFile());
        pb.environment().remove("RIFFLE_DATA_DIR");
        pb.environment().put("RIFFLE_SERVER", riffle.baseUrl());
        pb.environment().put("RIFFLE_TOKEN", riffle.adminToken());
        pb.environment().put("RIFFLE_CONFIG_DIR", dir.resolve("config").toString());
        env.forEach((k, v) -> {
            if (v.isEmpty()) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        var process = pb.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("riffle " + String.join(" ", args) + " did not finish within " + timeout
                + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run ok(String... args) throws IOException, InterruptedException {
        var run = cli(CALL, args);
        assertThat(run.exit()).as("riffle %s\nstdout: %s\nstderr: %s", String.join(" ", args), run.out(), run.err())
            .isZero();
        return run;
    }

    private Path pipelineYaml(String space) throws IOException {
        Files.writeString(dir.resolve("handler.py"), HANDLER);
        return Files.writeString(dir.resolve("pipeline.yaml"), """
            name: Upper   # GlassFlow's format
            pipeline_id:
            space_id:
            space_name: %s
            components:
              - id: in
                type: source
              - id: upper
                type: transformer
                transformation: {path: handler.py}
                env_vars: [{name: MODE, value: test}]
                settings: {replicas: 1, timeout_ms: 20000, lag_per_replica: 50, cooldown_ms: 5000,
                           idle_timeout_ms: 10000, max_retries: 2, batch_size: 10, memory_limit_mb: 512,
                           async_concurrency: 8, ordering: key, ordering_key: /n, partitions: 4}
                inputs: [in]
              - id: out
                type: sink
                inputs: [upper]
            """.formatted(space));
    }

    @Test
    void applyPublishConsumeLogsExportDelete() throws Exception {
        var yaml = pipelineYaml("cli-" + System.nanoTime());
        assertThat(ok("whoami").out()).contains(riffle.baseUrl(), "RIFFLE_TOKEN");

        var applied = ok("apply", "-f", "pipeline.yaml");
        assertThat(applied.out()).contains("+ create space", "+ create pipeline \"Upper\"", "settings.replicas: 1",
            "wrote pipeline_id and space_id to pipeline.yaml");
        var text = Files.readString(yaml);
        var id = text.lines().filter(l -> l.startsWith("pipeline_id: ")).findFirst().orElseThrow()
            .replaceAll("pipeline_id: \"?([^\" ]+)\"?.*", "$1");
        assertThat(text).startsWith("name: Upper   # GlassFlow's format\n").contains("space_id: ");
        assertThat(ok("apply", "-f", "pipeline.yaml").out()).contains("= no change");
        assertThat(ok("pipeline", "list", "-o", "json").out()).contains(id);

        var events = new StringBuilder();
        for (int n = 0; n < 5; n++) {
            events.append("{\"n\": ").append(n).append(", \"name\": \"e").append(n).append("\"}\n");
        }
        Files.writeString(dir.resolve("events.ndjson"), events);
        assertThat(ok("publish", id, "events.ndjson").out()).contains("published 5 events");

        var consumed = cli(Duration.ofSeconds(180), "consume", id, "-f", "--max", "5");
        assertThat(consumed.exit()).as(consumed.err()).isZero();
        var lines = consumed.out().lines().toList();
        assertThat(lines).hasSize(5);
        var uppers = new ArrayList<String>();
        for (var line : lines) {
            uppers.add(JSON.readTree(line).path("response").path("upper").asText());
        }
        assertThat(uppers).containsExactlyInAnyOrder("E0", "E1", "E2", "E3", "E4");

        var deadline = Instant.now().plusSeconds(30);
        String logs;
        do {
            logs = ok("logs", id, "--since", "1h").out();
        } while (!logs.contains("got event 4") && Instant.now().isBefore(deadline) && pause());
        assertThat(logs).contains("INFO", "got event 0", "got event 4");

        var history = ok("pipeline", "history", id).out();
        assertThat(history).contains("version_created").contains("build_ready");
        assertThat(ok("pipeline", "history", id, "-o", "json").out()).contains("\"events\"");
        var exported = ok("export", id).out();
        assertThat(exported).contains("pipeline_id: " + id, "value: |", "got event");
        assertThat(exported).contains("ordering: key", "ordering_key: /n", "partitions: 4", "async_concurrency: 8");
        Files.writeString(dir.resolve("exported.yaml"), exported);
        assertThat(ok("apply", "-f", "exported.yaml").out()).contains("= no change");
        assertThat(ok("pipeline", "update", id, "--max-replicas", "3", "--ordering", "none").out())
            .contains("updated pipeline");
        var got = JSON.readTree(ok("pipeline", "get", id, "-o", "json").out()).path("settings");
        assertThat(got.path("ordering").asText()).isEqualTo("none");
        assertThat(got.path("max_replicas").asInt()).isEqualTo(3);
        assertThat(got.path("min_replicas").asInt()).isEqualTo(1);
        assertThat(ok("apply", "-f", "exported.yaml").out()).contains("settings.max_replicas: 3 → 1",
            "settings.ordering: none → key", "settings.ordering_key: unset → /n");
        assertThat(ok("apply", "-f", "exported.yaml").out()).contains("= no change");

        assertThat(ok("delete", "-f", "pipeline.yaml").out()).contains("deleted pipeline " + id);
        assertThat(Files.readString(yaml)).contains("pipeline_id:\n").doesNotContain(id);
        var gone = cli(CALL, "pipeline", "get", id);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).startsWith("riffle: ").contains("not found");
    }

    @Test
    void applyCarriesConnectorsAndStatusShowsThem() throws Exception {
        Files.writeString(dir.resolve("handler.py"), HANDLER);
        int dead;
        try (var socket = new java.net.ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        var base = """
            name: Hooked
            space_name: cli-connectors-%d
            components:
              - id: in
                type: source
              - id: t
                type: transformer
                transformation: {path: handler.py}
                inputs: [in]
              - id: out
                type: sink
            %s    inputs: [t]
            """;
        var sink = "    kind: webhook\n    config: {url: \"http://127.0.0.1:%d/hook\", timeout_ms: 500}\n"
            .formatted(dead);
        var stamp = System.nanoTime();
        Files.writeString(dir.resolve("pipeline.yaml"), base.formatted(stamp, sink.replace("url:", "method: POST, x:")));
        var refused = cli(CALL, "apply", "-f", "pipeline.yaml");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("sink_connector.config.url: is required");

        Files.writeString(dir.resolve("pipeline.yaml"), base.formatted(stamp, sink));
        assertThat(ok("apply", "-f", "pipeline.yaml").out()).contains("sink: webhook");
        assertThat(ok("apply", "-f", "pipeline.yaml").out()).contains("= no change");
        var id = Files.readString(dir.resolve("pipeline.yaml")).lines().filter(l -> l.startsWith("pipeline_id: "))
            .findFirst().orElseThrow().replaceAll("pipeline_id: \"?([^\" ]+)\"?.*", "$1");
        Files.writeString(dir.resolve("one.ndjson"), "{\"n\": 1, \"name\": \"x\"}\n");
        assertThat(ok("publish", id, "one.ndjson").out()).contains("published 1 event");
        var deadline = Instant.now().plusSeconds(90);
        String status;
        do {
            status = ok("pipeline", "status", id).out();
        } while (!status.contains("webhook retrying") && Instant.now().isBefore(deadline) && pause());
        assertThat(status).contains("sink:", "webhook retrying on ", "127.0.0.1:" + dead);
        assertThat(ok("export", id).out()).contains("kind: webhook", "timeout_ms: 500");

        var withId = Files.readString(dir.resolve("pipeline.yaml")).replace(sink, "");
        Files.writeString(dir.resolve("pipeline.yaml"), withId);
        assertThat(ok("apply", "-f", "pipeline.yaml").out()).contains("sink: webhook → REST API");
        assertThat(JSON.readTree(ok("pipeline", "get", id, "-o", "json").out()).path("sink_connector").isNull())
            .isTrue();
        assertThat(ok("delete", "-f", "pipeline.yaml").out()).contains("deleted pipeline " + id);
    }

    private static boolean pause() {
        try {
            Thread.sleep(1_000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void badYamlExitsOneNamingTheLineAndChangesNothing() throws Exception {
        var yaml = pipelineYaml("cli-bad");
        var good = Files.readString(yaml);
        Files.writeString(yaml, good.replace("    type: source\n", "    type: source\n    kind: amazon_sqs\n"
            + "    config: [queue_url]\n"));
        var run = cli(CALL, "apply", "-f", "pipeline.yaml");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).startsWith("riffle: pipeline.yaml:9: components[0].config:")
            .contains("must be a mapping").doesNotContain("\n");
        assertThat(ok("space", "list").out()).doesNotContain("cli-bad");
        // the server is the authority on kinds and fields: its refusal names the field, and nothing is left behind
        Files.writeString(yaml, good.replace("    type: source\n", "    type: source\n    kind: amazon_sqs\n"));
        var refused = cli(CALL, "apply", "-f", "pipeline.yaml");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("source_connector.config.");
        assertThat(ok("space", "list").out()).doesNotContain("cli-bad");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        assertThat(cli(CALL, "frobnicate").exit()).isEqualTo(2);
        assertThat(cli(CALL, "pipeline", "get").exit()).isEqualTo(2);
        var help = ok("apply", "--help").out();
        assertThat(help).contains("--dry-run", "-f, --file=FILE");
        assertThat(ok("completion", "bash").out()).contains("complete -F", "apply");
    }

    @Test
    void deadLettersAreListedReplayedAfterAFixAndPurged() throws Exception {
        var space = JSON.readTree(ok("space", "create", "cli-dlq-" + System.nanoTime(), "-o", "json").out())
            .path("id").asText();
        Files.writeString(dir.resolve("flaky.py"), """
            def handler(data, log):
                if data["n"] % 2 == 0:
                    raise ValueError("even event %s" % data["n"])
                return {"n": data["n"], "fixed": False}
            """);
        Files.writeString(dir.resolve("fixed.py"), """
            def handler(data, log):
                return {"n": data["n"], "fixed": True}
            """);
        var id = JSON.readTree(ok("pipeline", "create", "--space", space, "--name", "flaky", "--function",
            "flaky.py", "-o", "json").out()).path("id").asText();
        var events = new StringBuilder();
        for (int n = 0; n < 6; n++) {
            events.append("{\"n\": ").append(n).append("}\n");
        }
        Files.writeString(dir.resolve("dlq.ndjson"), events);
        assertThat(ok("publish", id, "dlq.ndjson").out()).contains("published 6 events");

        var good = cli(Duration.ofSeconds(180), "consume", id, "-f", "--max", "3");
        assertThat(good.exit()).as(good.err()).isZero();
        var deadline = Instant.now().plusSeconds(120);
        var listed = JSON.readTree(ok("dlq", "list", id, "-o", "json").out()).path("dead_letters");
        while (listed.size() < 3 && Instant.now().isBefore(deadline) && pause()) {
            listed = JSON.readTree(ok("dlq", "list", id, "-o", "json").out()).path("dead_letters");
        }
        assertThat(listed).hasSize(3);
        assertThat(listed.get(0).path("error_details").asText()).startsWith("ValueError: even event");
        assertThat(listed.get(0).path("sequence").asLong()).isPositive();
        var table = ok("dlq", "list", id).out();
        assertThat(table).startsWith("SEQUENCE").contains("ERROR", "ATTEMPTS", "PAYLOAD", "ValueError: even event",
            "{\"n\":0}");
        assertThat(table.lines().count()).as("dlq list does not take them").isEqualTo(4);
        var page = JSON.readTree(ok("dlq", "list", id, "--after", listed.get(0).path("sequence").asText(),
            "--limit", "1", "-o", "json").out());
        assertThat(page.path("dead_letters").get(0).path("sequence").asLong())
            .isEqualTo(listed.get(1).path("sequence").asLong());

        assertThat(ok("pipeline", "update", id, "--function", "fixed.py").out()).contains("updated pipeline");
        deadline = Instant.now().plusSeconds(120);
        while (!runs(id, 2) && Instant.now().isBefore(deadline) && pause()) {
            // wait for version 2 to be built and running
        }
        assertThat(runs(id, 2)).as("version 2 running").isTrue();

        assertThat(cli(CALL, "dlq", "replay", id).exit()).as("neither --all nor sequences").isEqualTo(2);
        assertThat(ok("dlq", "replay", id, "--all").out()).contains("replayed 3 dead letters");
        var fixed = cli(Duration.ofSeconds(180), "consume", id, "-f", "--max", "3");
        assertThat(fixed.exit()).as(fixed.err()).isZero();
        var ns = new ArrayList<Integer>();
        for (var line : fixed.out().lines().toList()) {
            var response = JSON.readTree(line).path("response");
            assertThat(response.path("fixed").asBoolean()).as(line).isTrue();
            ns.add(response.path("n").asInt());
        }
        assertThat(ns).containsExactlyInAnyOrder(0, 2, 4);
        assertThat(ok("dlq", "list", id).out()).contains("no dead letters");

        var refused = cli(CALL, "dlq", "purge", id);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().strip()).startsWith("riffle: ").contains("--yes").doesNotContain("\n");
        assertThat(JSON.readTree(ok("dlq", "purge", id, "--yes", "-o", "json").out()).path("purged").asLong())
            .isZero();
        ok("pipeline", "delete", id);
    }

    /** Whether the pipeline's workers run {@code version} (the server's status has it; the CLI's does not). */
    private static boolean runs(String pipelineId, int version) throws IOException, InterruptedException {
        var status = JSON.readTree(http(HttpRequest.newBuilder(URI.create(riffle.baseUrl() + "/v1/pipelines/"
            + pipelineId + "/status")).header("Authorization", "Bearer " + riffle.adminToken()).GET(), 200));
        return status.path("active_version").asInt() == version && "ready".equals(status.path("function_status")
            .asText()) && status.path("running_version").asInt() == version;
    }

    private static String http(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        try (var client = HttpClient.newHttpClient()) {
            var response = client.send(request.timeout(CALL).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
            return response.body();
        }
    }

    @Test
    void passwordLoginStoresAProfileThatWhoamiUses() throws Exception {
        var email = "cli-" + System.nanoTime() + "@example.com";
        var password = "correct horse " + System.nanoTime();
        http(HttpRequest.newBuilder(URI.create(riffle.baseUrl() + "/v1/users"))
            .header("Authorization", "Bearer " + riffle.adminToken()).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("email", email, "name", "Cli",
                "password", password)))), 201);
        var config = dir.resolve("login-config").toString();
        var noCredential = Map.of("RIFFLE_SERVER", "", "RIFFLE_TOKEN", "", "RIFFLE_CONFIG_DIR", config);

        var wrong = cli(CALL, noCredential, "not it\n", "login", "--server", riffle.baseUrl(), "--email", email,
            "--password-stdin");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err().strip()).startsWith("riffle: ").contains("wrong email or password")
            .doesNotContain("\n");
        var noTerminal = cli(CALL, noCredential, null, "login", "--server", riffle.baseUrl(), "--email", email);
        assertThat(noTerminal.exit()).isEqualTo(1);
        assertThat(noTerminal.err()).contains("--password-stdin");

        var login = cli(CALL, noCredential, password + "\n", "login", "--server", riffle.baseUrl(), "--email",
            email, "--password-stdin");
        assertThat(login.exit()).as(login.err()).isZero();
        assertThat(login.out()).contains("logged in to " + riffle.baseUrl(), email)
            .doesNotContain(password, "rfl_pat_");
        assertThat(login.err()).doesNotContain(password, "rfl_pat_");
        var stored = JSON.readTree(Files.readString(Path.of(config, "credentials.json")));
        assertThat(stored.path("profiles").path("default").path("token").asText()).startsWith("rfl_pat_")
            .isNotEqualTo(riffle.adminToken());

        var whoami = cli(CALL, noCredential, null, "whoami");
        assertThat(whoami.exit()).as(whoami.err()).isZero();
        assertThat(whoami.out()).contains(riffle.baseUrl(), "profile 'default'", "status:     ok");
    }
}
