package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestNats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code RIFFLE_WORKER_PIPELINES}, as each Kubernetes worker Deployment sets it: a server and two {@code riffle
 * worker} processes, each limited to one pipeline (one of them with a fixed runner, as a KEDA pod). Every event of
 * each pipeline is processed exactly once, and only by the worker of its own pipeline (the handler reports the
 * process that ran it).
 */
class WorkerFilterIT {
    private static final int EVENTS = 200;
    private static final String HANDLER = """
        import os
        def handler(data, log):
            return {"n": data["n"], "engine": os.getppid()}
        """;

    private static Map<String, String> env(Map<String, String> shared, String... pairs) {
        var out = new HashMap<>(shared);
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    @Test
    void aFilteredWorkerNeverRunsAnotherPipelinesEvents() {
        var shared = Map.of("RIFFLE_MASTER_KEY", io.riffle.core.SecretBox.newKey());
        try (var db = TestDatabase.create(); var nats = TestNats.start();
             var server = RiffleProcess.create("server", db, nats, shared).start()) {
            var api = Api.of(server);
            var space = api.createSpace("filtered-workers");
            var a = api.createPipeline(space, "only-a", HANDLER, Map.of("settings",
                Map.of("min_replicas", 0, "max_replicas", 2, "batch_size", 10)));
            var b = api.createPipeline(space, "only-b", HANDLER, Map.of("settings",
                Map.of("min_replicas", 1, "max_replicas", 2, "batch_size", 10)));
            api.awaitReady(a);
            api.awaitReady(b);
            var workerA = RiffleProcess.create("worker", db, nats, env(shared, "RIFFLE_WORKER_PIPELINES", a.id(),
                "RIFFLE_WORKER_RUNNERS", "1")).start();
            var workerB = RiffleProcess.create("worker", db, nats, env(shared, "RIFFLE_WORKER_PIPELINES",
                b.id())).start();
            try (workerA; workerB) {
                Await.await("both workers up", Duration.ofSeconds(60),
                    () -> workerA.logText().contains("Riffle is up") && workerB.logText().contains("Riffle is up"));
                assertThat(workerA.logText()).contains("pipelines:  " + a.id() + ", 1 runner(s) each, not autoscaled");
                for (int from = 0; from < EVENTS; from += 50) {
                    for (var p : List.of(a, b)) {
                        var batch = new ArrayList<String>();
                        for (int n = from; n < from + 50; n++) {
                            batch.add("{\"n\":" + n + "}");
                        }
                        api.publishBatch(p, batch);
                    }
                }
                var ranA = engines(api.consumeResults(a, EVENTS, Duration.ofSeconds(120)));
                var ranB = engines(api.consumeResults(b, EVENTS, Duration.ofSeconds(120)));
                assertThat(ranA).as("processes that ran pipeline A's events").containsOnlyKeys(workerA.pid());
                assertThat(ranB).as("processes that ran pipeline B's events").containsOnlyKeys(workerB.pid());
                assertThat(ranA.get(workerA.pid())).as("A's events, each once").hasSize(EVENTS);
                assertThat(ranB.get(workerB.pid())).as("B's events, each once").hasSize(EVENTS);
                assertThat(api.consume(a).status()).as("nothing more of A").isEqualTo(204);
                assertThat(api.consume(b).status()).as("nothing more of B").isEqualTo(204);
                assertThat(workerA.logText()).doesNotContain(b.id());
                assertThat(workerB.logText()).doesNotContain(a.id());
                System.out.printf("worker filter: %d events of each pipeline, each run only by its own worker%n",
                    EVENTS);
            }
        }
    }

    /** The events' {@code n}, by the process (a worker's pid) that ran them. */
    private static Map<Long, HashSet<Integer>> engines(List<JsonNode> results) {
        var out = new HashMap<Long, HashSet<Integer>>();
        for (var r : results) {
            out.computeIfAbsent(r.path("response").path("engine").asLong(), k -> new HashSet<>())
                .add(r.path("response").path("n").asInt());
        }
        return out;
    }
}
