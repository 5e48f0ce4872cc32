package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.it.Api.Pipeline;
import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestNats;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test of issue #2: counted events through crashes. Each case publishes {@value #EVENTS} numbered
 * events to a function with a little work per event, breaks something once about 30% of the results are stored,
 * and then drains everything: every id exactly once, no duplicates, no dead letters. Counts and timings go to
 * System.out ("CrashIT[...]" lines).
 */
class CrashIT {
    static final int EVENTS = 3000;
    static final int BATCH = 500;
    static final String HANDLER = """
        import time

        def handler(data, log):
            time.sleep(0.002)
            return {"id": data["id"]}
        """;
    static final Duration DRAIN = Duration.ofSeconds(180);

    @Test
    void killOfRiffleInExternalModeLosesAndDuplicatesNothing() {
        try (var db = TestDatabase.create(); var nats = TestNats.start();
             var riffle = RiffleProcess.external(db, nats, Map.of()).start()) {
            killAndRestart("a: kill -9 of riffle, external NATS and PostgreSQL", riffle);
        }
    }

    @Test
    void killOfTheWholeEmbeddedRiffleLosesAndDuplicatesNothing() {
        try (var riffle = RiffleProcess.embedded(Map.of()).start()) {
            var natsPid = pidIn(riffle, "nats/nats-server.pid");
            var pgPid = pidIn(riffle, "postgres/postmaster.pid");
            killAndRestart("b: kill -9 of riffle up, embedded NATS and PostgreSQL", riffle);
            assertThat(ProcessHandle.of(natsPid).filter(ProcessHandle::isAlive)).as("the old nats-server").isEmpty();
            assertThat(ProcessHandle.of(pgPid).filter(ProcessHandle::isAlive)).as("the old postgres").isEmpty();
            assertThat(riffle.logText()).contains("left running by an earlier Riffle");
        }
    }

    private static long pidIn(RiffleProcess riffle, String file) {
        try {
            return Long.parseLong(java.nio.file.Files.readAllLines(riffle.dataDir().resolve(file)).get(0).trim());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void killAndRestart(String label, RiffleProcess riffle) {
        var api = Api.of(riffle);
        var p = pipeline(api);
        var timing = new Timing();
        publish(api, p, 0, EVENTS);
        timing.mark("published");
        long atKill = awaitShare(api, p);
        timing.mark("30% stored");
        var leftBehind = new ArrayList<ProcessHandle>(riffle.pythonWorkers());
        riffle.kill();
        timing.mark("killed");
        riffle.start();
        timing.mark("restarted");
        var counted = drain(api, p);
        timing.mark("drained");
        report(label, atKill, counted, timing, api.status(p));
        assertExactlyOnce(api, p, counted);
        assertThat(leftBehind).as("Python workers of the killed riffle").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void killOfThePythonWorkerLosesAndDuplicatesNothing() {
        try (var db = TestDatabase.create(); var nats = TestNats.start();
             var riffle = RiffleProcess.external(db, nats, Map.of()).start()) {
            var api = Api.of(riffle);
            var p = pipeline(api);
            var timing = new Timing();
            publish(api, p, 0, EVENTS);
            timing.mark("published");
            long atKill = awaitShare(api, p);
            var workers = riffle.pythonWorkers().stream()
                .filter(w -> w.info().commandLine().orElse("").contains(p.id())).toList();
            assertThat(workers).as("Python workers of pipeline %s", p.id()).isNotEmpty();
            workers.forEach(ProcessHandle::destroyForcibly);
            timing.mark(workers.size() + " worker(s) killed");
            var counted = drain(api, p);
            timing.mark("drained");
            var status = api.status(p);
            report("c: kill -9 of the Python worker", atKill, counted, timing, status);
            assertExactlyOnce(api, p, counted);
            assertThat(status.path("worker_restarts").asInt()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void natsRestartMidStreamLosesAndDuplicatesNothing() {
        try (var db = TestDatabase.create(); var nats = TestNats.start();
             var riffle = RiffleProcess.external(db, nats, Map.of()).start()) {
            var api = Api.of(riffle);
            var p = pipeline(api);
            var timing = new Timing();
            int half = EVENTS / 2;
            publish(api, p, 0, half);
            timing.mark("first half published");
            long atKill = awaitShare(api, p, half * 3L / 10);
            nats.kill();
            timing.mark("NATS killed");

            // publishes during the outage: a clean 503 (or, if the server came back meanwhile, 200); never a 500
            int outage = 3;
            var statuses = new LinkedHashMap<Integer, Integer>();
            for (int id = half; id < half + outage; id++) {
                var r = publishOne(api, p, id);
                statuses.put(id, r.status());
                if (r.status() != 200) {
                    Api.assertProblem(r, 503);
                    assertThat(r.header("Retry-After")).isNotBlank();
                }
            }
            timing.mark("outage publishes answered " + statuses.values());
            var ready = api.send("GET", "/readyz", Map.of(), BodyPublishers.noBody());
            assertThat(ready.status()).as("readyz while NATS is down: %s", ready).isEqualTo(503);
            nats.restart();
            timing.mark("NATS restarted");
            Await.await("riffle to reconnect to NATS", Duration.ofSeconds(60),
                () -> api.send("GET", "/readyz", Map.of(), BodyPublishers.noBody()).status() == 200);
            timing.mark("reconnected");
            // the client retries what was refused, with the same Idempotency-Key
            for (var e : statuses.entrySet()) {
                if (e.getValue() != 200) {
                    int id = e.getKey();
                    Await.await("retry of event " + id, Duration.ofSeconds(30),
                        () -> publishOne(api, p, id).status() == 200);
                }
            }
            publish(api, p, half + outage, EVENTS);
            timing.mark("second half published");
            var counted = drain(api, p);
            timing.mark("drained");
            report("d: NATS kill -9 and restart mid-stream", atKill, counted, timing, api.status(p));
            assertExactlyOnce(api, p, counted);
            assertThat(statuses.values()).doesNotContain(500);
        }
    }

    private static Api.Response publishOne(Api api, Pipeline p, int id) {
        return api.send("POST", p.path("/topics/input/events"), Map.of(Api.DATA_TOKEN, p.token(),
            "Content-Type", "application/json", "Idempotency-Key", "event-" + id),
            BodyPublishers.ofString("{\"id\":" + id + "}"));
    }

    // ---- shared steps

    private static Pipeline pipeline(Api api) {
        var p = api.createPipeline(api.createSpace("crash"), "counted", HANDLER, Map.of());
        api.awaitReady(p);
        return p;
    }

    /** Publishes ids {@code from} (inclusive) to {@code to} (exclusive) in batches of {@value #BATCH}. */
    private static void publish(Api api, Pipeline p, int from, int to) {
        for (int start = from; start < to; start += BATCH) {
            var events = new ArrayList<String>();
            for (int id = start; id < Math.min(to, start + BATCH); id++) {
                events.add("{\"id\":" + id + "}");
            }
            api.publishBatch(p, events);
        }
    }

    private static long awaitShare(Api api, Pipeline p) {
        return awaitShare(api, p, EVENTS * 3L / 10);
    }

    /** Waits until at least {@code results} are stored, and checks the stream is still mid-way then. */
    private static long awaitShare(Api api, Pipeline p, long results) {
        var s = Await.awaitValue(results + " results stored", Duration.ofSeconds(120), () -> api.status(p),
            st -> st.path("output_waiting").asLong() >= results);
        long stored = s.path("output_waiting").asLong();
        assertThat(stored).as("results stored when the crash comes: it must come mid-stream").isLessThan(EVENTS);
        return stored;
    }

    /** What a drain took. */
    record Counted(int results, int distinct, int duplicates, Set<Integer> missing, int deadLetters) {
    }

    /**
     * Consumes until every id came back (or {@link #DRAIN} passed), waits until nothing is pending or in flight,
     * then consumes what is left, so late duplicates are counted too.
     */
    private static Counted drain(Api api, Pipeline p) {
        var seen = new HashMap<Integer, Integer>();
        int results = 0;
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (seen.size() < EVENTS && System.nanoTime() < deadline) {
            var r = api.consume(p);
            if (r.status() == 200) {
                results++;
                seen.merge(r.json().path("response").path("id").asInt(), 1, Integer::sum);
            } else {
                assertThat(r.status()).as("consume: %s", r).isEqualTo(204);
                Await.sleep(Duration.ofMillis(100));
            }
        }
        Await.awaitValue("nothing pending or in flight", Duration.ofSeconds(60), () -> api.status(p),
            s -> s.path("backlog").asInt() == 0 && s.path("in_flight").asInt() == 0);
        Api.Response r;
        while ((r = api.consume(p)).status() == 200) {
            results++;
            seen.merge(r.json().path("response").path("id").asInt(), 1, Integer::sum);
        }
        int dead = 0;
        while (api.consumeFailed(p).status() == 200) {
            dead++;
        }
        var missing = new HashSet<Integer>();
        for (int id = 0; id < EVENTS; id++) {
            if (!seen.containsKey(id)) {
                missing.add(id);
            }
        }
        return new Counted(results, seen.size(), results - seen.size(), missing, dead);
    }

    private static void assertExactlyOnce(Api api, Pipeline p, Counted c) {
        assertThat(c.missing()).as("ids never delivered").isEmpty();
        assertThat(c.distinct()).isEqualTo(EVENTS);
        assertThat(c.duplicates()).as("duplicate results").isZero();
        assertThat(c.results()).isEqualTo(EVENTS);
        assertThat(c.deadLetters()).as("dead letters").isZero();
        var s = api.status(p);
        assertThat(s.path("output_waiting").asInt()).isZero();
        assertThat(s.path("failed_waiting").asInt()).isZero();
        assertThat(api.consume(p).status()).isEqualTo(204);
    }

    private static void report(String label, long atKill, Counted c, Timing t, com.fasterxml.jackson.databind.JsonNode
        status) {
        System.out.printf("CrashIT[%s]: events=%d, results stored at the crash=%d, results=%d, distinct=%d, "
                + "duplicates=%d, missing=%d, dead letters=%d, input_stored=%d, worker_restarts=%d; %s%n", label,
            EVENTS, atKill, c.results(), c.distinct(), c.duplicates(), c.missing().size(), c.deadLetters(),
            status.path("input_stored").asLong(), status.path("worker_restarts").asLong(), t);
    }

    /** Milliseconds from the start to each named step. */
    static final class Timing {
        private final long start = System.nanoTime();
        private final List<String> steps = new ArrayList<>();

        void mark(String step) {
            steps.add(step + " +" + (System.nanoTime() - start) / 1_000_000 + " ms");
        }

        @Override
        public String toString() {
            return String.join(", ", steps);
        }
    }
}
