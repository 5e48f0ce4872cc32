package io.riffle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command against a stub of the API: credentials by flag, pipelines read through riffle-client. */
class DeployCommandTest {
    static final String A = "3d80a059-3281-4a09-94d9-8a845fbb7d5d";
    static final String B = "5f0c0000-0000-4000-8000-000000000002";
    HttpServer server;
    final Map<String, String> authorizations = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/pipelines", exchange -> {
            authorizations.put(exchange.getRequestURI().getPath(),
                String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            var path = exchange.getRequestURI().getPath();
            String body;
            int status = 200;
            if (path.equals("/v1/pipelines")) {
                body = "{\"pipelines\":[" + summary(A) + "," + summary(B) + "]}";
            } else if (path.equals("/v1/pipelines/" + A)) {
                body = details(A, "running", 1, 4);
            } else if (path.equals("/v1/pipelines/" + B)) {
                body = details(B, "paused", 0, 2);
            } else {
                status = 404;
                body = "{\"detail\":\"pipeline not found\"}";
            }
            var bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static String summary(String id) {
        return "{\"id\":\"" + id + "\",\"name\":\"p\",\"space_id\":\"s\",\"space_name\":\"sp\",\"state\":\"running\"}";
    }

    static String details(String id, String state, int min, int max) {
        return "{\"id\":\"" + id + "\",\"name\":\"Pipe " + id.substring(0, 4) + "\",\"space_id\":\"s\","
            + "\"space_name\":\"sp\",\"state\":\"" + state + "\",\"environments\":[],"
            + "\"settings\":{\"min_replicas\":" + min + ",\"max_replicas\":" + max + ",\"lag_per_replica\":25,"
            + "\"cooldown_ms\":45000,\"idle_timeout_ms\":300000,\"timeout_ms\":30000,\"max_retries\":3,"
            + "\"batch_size\":100,\"memory_limit_mb\":1024}}";
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int run(PrintStream out, PrintStream err, String... args) {
        var oldOut = System.out;
        var oldErr = System.err;
        System.setOut(out);
        System.setErr(err);
        try {
            var cli = new CommandLine(new DeployCommand());
            cli.setErr(new java.io.PrintWriter(err, true));
            return cli.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void allPipelinesToStdoutWithTheCliCredentials() {
        var out = new ByteArrayOutputStream();
        int code = run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
            "kubernetes", "--all", "--server", url(), "--token", "rfl_pat_test", "--namespace", "prod",
            "--image", "registry.example.com/riffle:1.0");
        assertThat(code).isZero();
        var docs = new org.yaml.snakeyaml.Yaml().loadAll(out.toString(StandardCharsets.UTF_8));
        var kinds = new java.util.ArrayList<String>();
        for (var d : docs) {
            kinds.add((String) ((Map<?, ?>) d).get("kind") + " " + ((Map<?, ?>) ((Map<?, ?>) d).get("metadata"))
                .get("name"));
        }
        assertThat(kinds).containsExactly("Deployment riffle-worker-" + A, "ScaledObject riffle-worker-" + A,
            "Deployment riffle-worker-" + B, "ScaledObject riffle-worker-" + B);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("namespace: prod")
            .contains("image: registry.example.com/riffle:1.0").contains("lagThreshold: '25'")
            .contains("riffle-nats-headless.prod.svc.cluster.local:8222")
            .contains("autoscaling.keda.sh/paused-replicas: '0'");
        assertThat(authorizations).containsEntry("/v1/pipelines", "Bearer rfl_pat_test")
            .containsEntry("/v1/pipelines/" + A, "Bearer rfl_pat_test");
    }

    @Test
    void onePipelinePerFileWithOutputDir(@TempDir Path dir) throws Exception {
        var err = new ByteArrayOutputStream();
        int code = run(System.out, new PrintStream(err, true, StandardCharsets.UTF_8),
            "kubernetes", "--pipeline", A, "-o", dir.resolve("k8s").toString(), "--server", url(), "--token", "t");
        assertThat(code).isZero();
        assertThat(Files.list(dir.resolve("k8s")).map(p -> p.getFileName().toString()).toList())
            .containsExactly("riffle-worker-" + A + ".yaml");
        var text = Files.readString(dir.resolve("k8s").resolve("riffle-worker-" + A + ".yaml"));
        assertThat(text).contains("kind: Deployment").contains("kind: ScaledObject").contains("maxReplicaCount: 4");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("wrote ");
        assertThat(authorizations).doesNotContainKey("/v1/pipelines");
    }

    @Test
    void pipelineOrAllIsRequiredAndExclusive() {
        var err = new ByteArrayOutputStream();
        var errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(run(System.out, errStream, "kubernetes", "--server", url(), "--token", "t")).isEqualTo(2);
        assertThat(run(System.out, errStream, "kubernetes", "--all", "--pipeline", A, "--token", "t"))
            .isEqualTo(2);
        assertThat(run(System.out, errStream, "--token", "t")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--pipeline").contains("kubernetes");
    }

    @Test
    void defaultsFollowTheRelease() {
        var cli = new CommandLine(new DeployCommand());
        var parsed = cli.parseArgs("kubernetes", "--all", "--release", "acme", "--namespace", "data");
        var k = (DeployCommand.Kubernetes) parsed.subcommand().commandSpec().userObject();
        assertThat(k.target()).isEqualTo(new KubernetesTarget("data", KubernetesTarget.DEFAULT_IMAGE, "acme", "acme",
            "nats://acme-nats:4222", "acme-nats-headless.data.svc.cluster.local:8222", "RIFFLE", 3, 5));
        assertThat(cli.getSubcommands().get("kubernetes").getCommandSpec().optionsMap())
            .containsKeys("--server", "--token", "--profile", "-o", "--namespace", "--image");
        assertThat(List.of(cli.getSubcommands().get("kubernetes").getCommandSpec().aliases())).contains("k8s");
    }
}
