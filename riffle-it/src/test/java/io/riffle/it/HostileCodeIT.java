package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.riffle.it.Api.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #9, "hostile or broken user code": one {@code riffle up} on embedded defaults (its own nats-server and
 * PostgreSQL) runs one pipeline per attack, each handler trying the attack and returning what it found, next to a
 * well-behaved pipeline that must process every one of its events exactly once meanwhile. Counted: attacks tried,
 * platform secrets seen by user code (must be 0), events of the good pipeline lost or duplicated (must be 0).
 * The summary goes to System.out ("HostileCodeIT: ..."). Needs root (workers run under their own uids).
 */
@Timeout(600)
class HostileCodeIT {
    static final int GOOD_EVENTS = 1500;
    static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void hostileFunctionsAreContainedAndTheGoodPipelineLosesNothing() throws Exception {
        assumeThat(ProcessHandle.current().info().user().orElse("")).as("running as root").isEqualTo("root");
        var python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        var canary = "canary-" + UUID.randomUUID();
        try (var riffle = RiffleProcess.embedded(Map.of("RIFFLE_PYTHON", python, "RIFFLE_WORKER_ISOLATION",
            "required", "RIFFLE_PLATFORM_CANARY", canary)).start()) {
            var api = Api.of(riffle);
            var space = api.createSpace("hostile");
            var good = api.createPipeline(space, "good", HostileHandlers.GOOD, Map.of("settings",
                Map.of("max_replicas", 2)));
            var attacks = createAttacks(api, space);
            api.awaitReady(good);
            attacks.values().forEach(api::awaitReady);

            var secrets = secrets(riffle, canary);
            var outputs = new ArrayList<String>();
            int tried = 0;
            edgeSizedInput(api, good);
            publishGood(api, good, 0, GOOD_EVENTS / 2);
            tried += snoop(api, attacks.get("snoop"), good, outputs);
            tried += network(api, attacks.get("network"), riffle, outputs);
            tried += resources(api, attacks, outputs);
            tried += crashes(api, attacks.get("crash"), outputs);
            publishGood(api, good, GOOD_EVENTS / 2, GOOD_EVENTS);
            var counted = drainGood(api, good);

            long seen = outputs.stream().mapToLong(o -> secrets.stream().filter(o::contains).count()).sum();
            System.out.printf("HostileCodeIT: attacks tried=%d, secrets seen=%d, good events published=%d, "
                    + "results=%d, distinct=%d, lost=%d, duplicates=%d, good dead letters=%d, isolation: %s%n",
                tried, seen, GOOD_EVENTS, counted.results(), counted.distinct(), GOOD_EVENTS - counted.distinct(),
                counted.results() - counted.distinct(), counted.deadLetters(),
                riffle.logText().lines().filter(l -> l.contains("functions:")).findFirst().orElse("?").strip());
            assertThat(seen).as("platform secrets seen by user code").isZero();
            assertThat(secrets).as("secrets in Riffle's own log").noneMatch(riffle.logText()::contains);
            assertThat(counted.distinct()).as("good events processed").isEqualTo(GOOD_EVENTS);
            assertThat(counted.results()).as("good results (no duplicates)").isEqualTo(GOOD_EVENTS);
            assertThat(counted.deadLetters()).as("good dead letters").isZero();
            assertThat(riffle.alive()).as("riffle survived").isTrue();
        }
    }

    private static Map<String, Pipeline> createAttacks(Api api, String space) {
        var attacks = new LinkedHashMap<String, Pipeline>();
        var quick = Map.<String, Object>of("timeout_ms", 3000, "max_retries", 1, "max_replicas", 1);
        attacks.put("snoop", api.createPipeline(space, "snoop", HostileHandlers.SNOOP,
            Map.of("environments", List.of(Map.of("name", "OWN_VAR", "value", "mine")))));
        attacks.put("network", api.createPipeline(space, "network", HostileHandlers.NETWORK, Map.of()));
        attacks.put("fork", api.createPipeline(space, "fork", HostileHandlers.FORK_BOMB, Map.of("settings", quick)));
        attacks.put("memory", api.createPipeline(space, "memory", HostileHandlers.MEMORY_BOMB,
            Map.of("settings", Map.of("memory_limit_mb", 256, "max_replicas", 1))));
        attacks.put("loop", api.createPipeline(space, "loop", HostileHandlers.LOOP, Map.of("settings", quick)));
        attacks.put("output", api.createPipeline(space, "output", HostileHandlers.HUGE_OUTPUT, Map.of()));
        attacks.put("flood", api.createPipeline(space, "flood", HostileHandlers.LOG_FLOOD, Map.of("settings",
            Map.of("timeout_ms", 60_000, "max_replicas", 1))));
        attacks.put("crash", api.createPipeline(space, "crash", HostileHandlers.CRASH, Map.of("settings", quick)));
        return attacks;
    }

    /** Every secret Riffle holds: file contents under the data dir, and a variable in Riffle's environment. */
    private static List<String> secrets(RiffleProcess riffle, String canary) throws IOException {
        var list = new ArrayList<String>(List.of(canary));
        for (var file : List.of("master.key", "admin.token", "postgres.password", "nats/password")) {
            list.add(Files.readString(riffle.dataDir().resolve(file)).strip());
        }
        return list;
    }

    private static int snoop(Api api, Pipeline snoop, Pipeline good, List<String> outputs) {
        api.publish(snoop, Map.of("good", good.id())).expect(200);
        var found = api.consumeResults(snoop, 1, WAIT).getFirst().path("response");
        outputs.add(found.toString());
        var env = found.path("environ");
        var names = new ArrayList<String>();
        env.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("PATH", "HOME", "LANG", "PYTHONUNBUFFERED",
            "PYTHONDONTWRITEBYTECODE", "OWN_VAR");
        assertThat(found.path("uid").asInt()).isGreaterThan(40_000);
        found.path("reads").fields().forEachRemaining(e -> assertThat(e.getValue().asText())
            .as("reading %s", e.getKey()).isIn("PermissionError", "FileNotFoundError"));
        assertThat(found.path("reads").size()).isGreaterThanOrEqualTo(12);
        return found.path("reads").size() + 1;
    }

    private static int network(Api api, Pipeline network, RiffleProcess riffle, List<String> outputs)
        throws IOException {
        var ports = Map.of("nats", port(riffle, "nats/port"), "pg", port(riffle, "postgres.port"));
        api.publish(network, ports).expect(200);
        var found = api.consumeResults(network, 1, WAIT).getFirst().path("response");
        outputs.add(found.toString());
        assertThat(found.path("nats").asText()).contains("Authorization Violation").doesNotContain("MSG ");
        assertThat(found.path("pg_tcp").asInt()).as("PostgreSQL auth request over TCP (0 = let in)").isEqualTo(10);
        assertThat(found.path("pg_socket").asText()).isIn("10", "FileNotFoundError", "PermissionError",
            "ConnectionRefusedError");
        return 4;
    }

    private static int port(RiffleProcess riffle, String file) throws IOException {
        return Integer.parseInt(Files.readString(riffle.dataDir().resolve(file)).strip());
    }

    /** Fork bomb, memory bomb, infinite loop, huge outputs, a log flood: each contained, the pipeline goes on. */
    private static int resources(Api api, Map<String, Pipeline> attacks, List<String> outputs) {
        api.publish(attacks.get("fork"), Map.of("n", 1)).expect(200);
        api.publish(attacks.get("memory"), Map.of("mb", 2048)).expect(200);
        api.publish(attacks.get("loop"), Map.of("n", 1)).expect(200);
        for (int size : new int[] {8 << 20, (1 << 20) - 30, 100}) {
            api.publish(attacks.get("output"), Map.of("size", size)).expect(200);
        }
        api.publish(attacks.get("flood"), Map.of("lines", 200_000)).expect(200);

        var fork = deadLetter(api, attacks.get("fork"), outputs);
        assertThat(fork).contains("BlockingIOError");
        var memory = deadLetter(api, attacks.get("memory"), outputs);
        assertThat(memory).contains("MemoryError");
        var loop = deadLetter(api, attacks.get("loop"), outputs);
        assertThat(loop).contains("timed out after 3000 ms");
        var big = api.consumeFailures(attacks.get("output"), 2, WAIT);
        big.forEach(d -> outputs.add(d.toString()));
        assertThat(big).allSatisfy(d -> assertThat(d.toString()).contains("ResultTooLarge"));
        var small = api.consumeResults(attacks.get("output"), 1, WAIT).getFirst();
        assertThat(small.path("response").path("data").asText()).hasSize(100);
        var flood = api.consumeResults(attacks.get("flood"), 1, WAIT).getFirst();
        assertThat(flood.path("response").path("printed").asInt()).isEqualTo(200_000);
        return 7;
    }

    private static String deadLetter(Api api, Pipeline p, List<String> outputs) {
        var text = api.consumeFailures(p, 1, WAIT).getFirst().toString();
        outputs.add(text);
        return text;
    }

    /** os._exit, sys.exit and a segfault: dead letters with the reason; worker restarts are counted. */
    private static int crashes(Api api, Pipeline crash, List<String> outputs) {
        var ways = List.of("os_exit", "sys_exit", "segfault");
        ways.forEach(how -> api.publish(crash, Map.of("how", how)).expect(200));
        api.publish(crash, Map.of("how", "none")).expect(200);
        var letters = new HashMap<String, String>();
        for (var d : api.consumeFailures(crash, 3, WAIT)) {
            outputs.add(d.toString());
            letters.put(d.path("response").path("how").asText(), d.toString());
        }
        assertThat(letters).containsOnlyKeys(ways);
        assertThat(letters.get("os_exit")).contains("exited with code 3");
        assertThat(letters.get("sys_exit")).contains("SystemExit");
        assertThat(letters.get("segfault")).contains("signal 11");
        assertThat(api.consumeResults(crash, 1, WAIT).getFirst().path("response").path("how").asText())
            .isEqualTo("none");
        assertThat(api.status(crash).path("worker_restarts").asInt()).isGreaterThanOrEqualTo(4);
        var scrape = api.send("GET", "/metrics", Map.of(), java.net.http.HttpRequest.BodyPublishers.noBody()).body();
        double exits = scrape.lines().filter(l -> l.startsWith("riffle_pipeline_worker_crashes_total{")
                && l.contains(crash.id()) && l.contains("reason=\"exited\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(exits).as("worker crashes counted in /metrics").isGreaterThanOrEqualTo(4);
        return ways.size();
    }

    /**
     * An event under RIFFLE_MAX_EVENT_BYTES (1 MiB) but too big for one NATS message with Riffle's headers: refused
     * with 413 (it would make nats-server drop Riffle's connection), and the next publish works at once.
     */
    private static void edgeSizedInput(Api api, Pipeline good) {
        var edge = "{\"pad\":\"" + "x".repeat((1 << 20) - 600) + "\"}";
        Api.assertProblem(api.data("POST", good.path("/topics/input/events"), good.token(), edge), 413);
        api.publish(good, Map.of("id", -1)).expect(200);
        assertThat(api.consumeResults(good, 1, WAIT).getFirst().path("response").path("id").asInt()).isEqualTo(-1);
    }

    private static void publishGood(Api api, Pipeline good, int from, int to) {
        var events = new ArrayList<String>();
        for (int id = from; id < to; id++) {
            events.add("{\"id\":" + id + "}");
            if (events.size() == 250 || id == to - 1) {
                api.publishBatch(good, events);
                events.clear();
            }
        }
    }

    record Counted(int results, int distinct, int deadLetters) {
    }

    private static Counted drainGood(Api api, Pipeline good) {
        var seen = new HashMap<Integer, Integer>();
        int results = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (seen.size() < GOOD_EVENTS && System.nanoTime() < deadline) {
            var r = api.consume(good);
            if (r.status() == 200) {
                results++;
                seen.merge(r.json().path("response").path("id").asInt(), 1, Integer::sum);
            } else {
                Await.sleep(Duration.ofMillis(100));
            }
        }
        Await.awaitValue("nothing pending", Duration.ofSeconds(60), () -> api.status(good),
            s -> s.path("backlog").asInt() == 0 && s.path("in_flight").asInt() == 0);
        Api.Response r;
        while ((r = api.consume(good)).status() == 200) {
            results++;
            seen.merge(r.json().path("response").path("id").asInt(), 1, Integer::sum);
        }
        int dead = 0;
        while (api.consumeFailed(good).status() == 200) {
            dead++;
        }
        return new Counted(results, seen.size(), dead);
    }
}
