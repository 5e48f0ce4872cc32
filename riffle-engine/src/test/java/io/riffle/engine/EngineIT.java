package io.riffle.engine;

import static io.riffle.engine.EngineFixture.await;
import static io.riffle.engine.EngineFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.broker.ConsumedEvent;
import io.riffle.broker.LogQuery;
import io.riffle.core.BuildStatus;
import io.riffle.core.Pipeline;
import io.riffle.core.PipelineSettings;
import io.riffle.core.PipelineState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine end to end over real NATS JetStream, PostgreSQL and CPython. Every test publishes a known number of
 * events with unique ids to a pipeline of its own and accounts for each: it comes out as results, is filtered, or is
 * a dead letter, exactly once, and nothing is left waiting or in flight.
 */
class EngineIT {
    private static final Duration RESULTS_WAIT = Duration.ofSeconds(60);
    private static final PipelineSettings PLAIN = settings(Duration.ofSeconds(10), 3, 100);
    private static EngineFixture fx;
    private final List<String> pipelines = new ArrayList<>();

    @BeforeAll
    static void start() {
        fx = new EngineFixture();
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @AfterEach
    void retirePipelines() {
        pipelines.forEach(fx::retire);
    }

    private String pipeline(String source, PipelineSettings settings) {
        var created = fx.createPipeline(source, settings);
        pipelines.add(created.id());
        assertThat(created.built()).as("build log: %s", created.buildLog()).isTrue();
        return created.id();
    }

    private static PipelineSettings settings(Duration timeout, int maxRetries, int batchSize) {
        return new PipelineSettings(1, timeout, maxRetries, batchSize, PipelineSettings.DEFAULT_MEMORY_LIMIT_MB);
    }

    private static List<Integer> responseIds(List<ConsumedEvent> results) {
        return results.stream().map(r -> json(r.response()).path("id").asInt(-1)).toList();
    }

    private static List<Integer> payloadIds(List<ConsumedEvent> events) {
        return events.stream().map(r -> json(r.payload()).path("id").asInt(-1)).toList();
    }

    private static List<Integer> range(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    private static List<Integer> rangeWhere(int count, IntPredicate keep) {
        return IntStream.range(0, count).filter(keep).boxed().toList();
    }

    @Test
    void transformsEventsInOrderWithOneReplica() {
        var p = pipeline("""
            def handler(data, log):
                return {"id": data["id"], "square": data["id"] * data["id"], "tag": data["tag"].upper()}
            """, PLAIN);
        int count = 1000;
        var published = fx.publish(p, count, i -> "{\"id\":" + i + ",\"tag\":\"t" + i + "\"}");

        var results = fx.takeResults(p, count, RESULTS_WAIT);

        assertThat(responseIds(results)).as("one replica keeps the input order").isEqualTo(range(count));
        for (int i = 0; i < count; i++) {
            var expected = EngineFixture.JSON.createObjectNode().put("id", i).put("square", i * i)
                .put("tag", "T" + i);
            assertThat(json(results.get(i).response())).isEqualTo(expected);
            assertThat(results.get(i).payload()).as("payload is the input event").isEqualTo(published.get(i));
        }
        fx.assertNothingMore(p);
    }

    @Test
    void noneFiltersTheEventOut() {
        var p = pipeline("""
            def handler(data, log):
                if data["id"] % 2 == 0:
                    return None
                return data
            """, PLAIN);
        int count = 200;
        fx.publishIds(p, count);

        var results = fx.takeResults(p, count / 2, RESULTS_WAIT);

        assertThat(responseIds(results)).isEqualTo(rangeWhere(count, i -> i % 2 == 1));
        fx.assertNothingMore(p);
        assertThat(fx.registry.get(RunnerMetrics.EVENTS_FILTERED).tag("pipeline", p)
            .counter().count()).isEqualTo(count / 2);
    }

    @Test
    void generatorYieldsSeveralResultsPerEvent() {
        var p = pipeline("""
            def handler(data, log):
                for k in range(3):
                    yield {"id": data["id"], "k": k}
            """, PLAIN);
        int count = 200;
        fx.publishIds(p, count);

        var results = fx.takeResults(p, 3 * count, RESULTS_WAIT);

        var pairs = new HashSet<List<Integer>>();
        for (var r : results) {
            var node = json(r.response());
            pairs.add(List.of(node.path("id").asInt(-1), node.path("k").asInt(-1)));
        }
        assertThat(pairs).as("distinct (id, k)").hasSize(3 * count);
        assertThat(pairs).allMatch(pair -> pair.get(0) >= 0 && pair.get(0) < count && pair.get(1) >= 0
            && pair.get(1) < 3);
        fx.assertNothingMore(p);
    }

    @Test
    void handlerExceptionSendsTheEventToDeadLetters() {
        var p = pipeline("""
            def handler(data, log):
                if data["id"] % 10 == 3:
                    raise ValueError("bad event %d" % data["id"])
                return data
            """, PLAIN);
        int count = 100;
        var published = fx.publishIds(p, count);

        var dead = fx.takeDeadLetters(p, count / 10, RESULTS_WAIT);
        var results = fx.takeResults(p, count - count / 10, RESULTS_WAIT);

        assertThat(payloadIds(dead)).containsExactlyInAnyOrderElementsOf(rangeWhere(count, i -> i % 10 == 3));
        assertThat(responseIds(results)).isEqualTo(rangeWhere(count, i -> i % 10 != 3));
        for (var d : dead) {
            int id = json(d.payload()).path("id").asInt();
            assertThat(d.failed()).isTrue();
            assertThat(d.errorDetails()).isEqualTo("ValueError: bad event " + id);
            assertThat(d.stackTrace()).contains("line 3, in handler")
                .contains("raise ValueError(\"bad event %d\" % data[\"id\"])");
            assertThat(d.attempts()).as("a handler exception is not retried").isEqualTo(1);
            assertThat(d.payload()).isEqualTo(published.get(id));
        }
        fx.assertNothingMore(p);
    }

    @Test
    void resultThatIsNotJsonGoesToDeadLetters() {
        var p = pipeline("""
            def handler(data, log):
                if data["id"] == 4:
                    return {"id": data["id"], "tags": {"a", "b"}}
                return data
            """, PLAIN);
        int count = 20;
        fx.publishIds(p, count);

        var dead = fx.takeDeadLetters(p, 1, RESULTS_WAIT);
        var results = fx.takeResults(p, count - 1, RESULTS_WAIT);

        assertThat(payloadIds(dead)).containsExactly(4);
        assertThat(dead.get(0).errorDetails()).startsWith("TypeError: result is not JSON-serialisable")
            .contains("set");
        assertThat(responseIds(results)).isEqualTo(rangeWhere(count, i -> i != 4));
        fx.assertNothingMore(p);
    }

    @Test
    void eventThatTimesOutIsRetriedThenDeadLettered() {
        var p = pipeline("""
            import time

            def handler(data, log):
                if data["id"] == 7:
                    while True:
                        time.sleep(1)
                return data
            """, settings(Duration.ofMillis(500), 1, 100));
        int count = 30;
        fx.publishIds(p, count);

        var dead = fx.takeDeadLetters(p, 1, RESULTS_WAIT);
        var results = fx.takeResults(p, count - 1, RESULTS_WAIT);

        assertThat(payloadIds(dead)).containsExactly(7);
        assertThat(dead.get(0).errorDetails()).contains("timed out");
        assertThat(dead.get(0).attempts()).as("first try and one retry").isEqualTo(2);
        assertThat(responseIds(results)).containsExactlyInAnyOrderElementsOf(rangeWhere(count, i -> i != 7));
        fx.assertNothingMore(p);
        assertThat(fx.engine().status().get(p).restarts()).isGreaterThanOrEqualTo(2);
        assertThat(fx.engine().status().get(p).lastError()).contains("timed out");
        var errors = fx.broker.readLogs(p, new LogQuery(100, null, 500, null, null)).entries();
        assertThat(errors).as("each timeout is in the function log")
            .filteredOn(e -> json(e).path("payload").path("message").asText().contains("timed out")).hasSize(2);
    }

    @Test
    void workerThatExitsIsRetriedThenDeadLettered() {
        var p = pipeline("""
            import os

            def handler(data, log):
                if data["id"] == 5:
                    os._exit(1)
                return data
            """, settings(Duration.ofSeconds(10), 2, 100));
        int count = 30;
        fx.publishIds(p, count);

        var dead = fx.takeDeadLetters(p, 1, RESULTS_WAIT);
        var results = fx.takeResults(p, count - 1, RESULTS_WAIT);

        assertThat(payloadIds(dead)).containsExactly(5);
        assertThat(dead.get(0).errorDetails()).contains("worker process exited").contains("exited with code 1");
        assertThat(dead.get(0).attempts()).as("first try and two retries").isEqualTo(3);
        assertThat(responseIds(results)).containsExactlyInAnyOrderElementsOf(rangeWhere(count, i -> i != 5));
        fx.assertNothingMore(p);
        assertThat(fx.engine().status().get(p).restarts()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void killedWorkerLosesNoEventAndDuplicatesNone() {
        var p = pipeline("""
            def handler(data, log):
                total = 0
                for i in range(20000):
                    total += i * i
                return {"id": data["id"], "total": total}
            """, PLAIN);
        int count = 2000;
        fx.publishIds(p, count);

        var results = new ArrayList<>(fx.takeResults(p, 300, RESULTS_WAIT));
        var victim = EngineFixture.awaitValue(Duration.ofSeconds(10), "a worker of " + p,
            () -> EngineFixture.workersOf(p).stream().findFirst());
        var before = fx.stats(p);
        victim.destroyForcibly();
        assertThat(before.backlog() + before.inFlight()).as("the worker was killed mid-stream").isPositive();
        results.addAll(fx.takeResults(p, count - 300, RESULTS_WAIT));

        assertThat(responseIds(results)).containsExactlyInAnyOrderElementsOf(range(count));
        fx.assertNothingMore(p);
        assertThat(EngineFixture.workersOf(p)).as("a new worker replaced the killed one").isNotEmpty()
            .noneMatch(w -> w.pid() == victim.pid());
    }

    @Test
    void crashedEngineLosesNoEventAndDuplicatesNone() {
        var p = pipeline("""
            import time

            def handler(data, log):
                time.sleep(0.05)
                return data
            """, settings(Duration.ofSeconds(10), 3, 10));
        int count = 100;
        fx.publishIds(p, count);

        var results = new ArrayList<>(fx.takeResults(p, 40, RESULTS_WAIT));
        var atCrash = fx.stats(p);
        fx.crashAndRestartEngine();
        assertThat(atCrash.inFlight()).as("events were delivered and not acked when the engine died").isPositive();
        results.addAll(fx.takeResults(p, count - 40, RESULTS_WAIT));

        assertThat(responseIds(results)).containsExactlyInAnyOrderElementsOf(range(count));
        fx.assertNothingMore(p);
    }

    @Test
    void eventsDoneBeforeTheWorkerFailsToRestartAreAcked() {
        var p = pipeline("""
            import os

            if os.path.exists("started"):
                raise RuntimeError("this function starts only once")
            open("started", "w").close()

            def handler(data, log):
                if data["id"] == 5:
                    os._exit(1)
                return data
            """, PLAIN);
        int count = 10;
        fx.publishIds(p, count);

        var results = fx.takeResults(p, 5, RESULTS_WAIT);

        assertThat(responseIds(results)).isEqualTo(range(5));
        await(Duration.ofSeconds(10), "events 0-4 acked, 5-9 waiting for a worker that loads", () -> {
            var s = fx.stats(p);
            return s.inFlight() == count - 5 && s.backlog() == 0;
        });
        assertThat(fx.engine().status().get(p).lastError()).contains("this function starts only once");
        assertThat(fx.broker.consumeOutput(p)).isEmpty();
    }

    @Test
    void stoppingOnePipelineDoesNotStallTheHeartbeatsOfAnother() {
        var slow = settings(Duration.ofSeconds(30), 3, 1);
        var stopping = pipeline("""
            import time

            def handler(data, log):
                print("start", data["id"])
                time.sleep(8)
                return data
            """, slow);
        var bystander = pipeline("""
            import time

            def handler(data, log):
                print("start", data["id"])
                time.sleep(7)
                return data
            """, slow);
        fx.publishIds(bystander, 1);
        fx.publishIds(stopping, 1);
        await(Duration.ofSeconds(10), "both handlers running",
            () -> starts(stopping) == 1 && starts(bystander) == 1);

        // The reconcile that stops the runner waits for its 8 s batch; the bystander's event, 7 s long, needs
        // its ack heartbeats meanwhile (ack wait 3 s) or JetStream hands it out a second time.
        fx.update(stopping, pipeline -> pipeline.withState(PipelineState.PAUSED));
        assertThat(responseIds(fx.takeResults(bystander, 1, RESULTS_WAIT))).containsExactly(0);
        assertThat(responseIds(fx.takeResults(stopping, 1, RESULTS_WAIT))).as("the batch in hand is finished")
            .containsExactly(0);

        fx.assertNothingMore(bystander);
        fx.assertNothingMore(stopping);
        assertThat(starts(bystander)).as("the bystander's event ran once").isEqualTo(1);
    }

    private static long starts(String pipelineId) {
        return fx.broker.readLogs(pipelineId, new LogQuery(1000, null, 100, null, null)).entries().stream()
            .filter(e -> message(json(e)).startsWith("start ")).count();
    }

    @Test
    void pausedPipelineKeepsEventsUntilResumed() {
        var p = pipeline("""
            def handler(data, log):
                return data
            """, PLAIN);
        fx.update(p, pipeline -> pipeline.withState(PipelineState.PAUSED));
        fx.awaitStopped(p);
        int count = 50;
        fx.publishIds(p, count);

        await(Duration.ofSeconds(5), "50 events waiting", () -> fx.stats(p).backlog() == count);
        fx.engine().reconcile();
        assertThat(fx.engine().status()).doesNotContainKey(p);
        var waiting = fx.stats(p);
        assertThat(waiting.backlog()).isEqualTo(count);
        assertThat(waiting.inFlight()).isZero();
        assertThat(waiting.outputWaiting()).isZero();

        fx.update(p, pipeline -> pipeline.withState(PipelineState.RUNNING));
        var results = fx.takeResults(p, count, RESULTS_WAIT);

        assertThat(responseIds(results)).isEqualTo(range(count));
        fx.assertNothingMore(p);
    }

    @Test
    void versionThatFailsToBuildIsNeverStarted() {
        var created = fx.createPipeline("""
            def handler(data, log)
                return data
            """, PLAIN);
        var p = created.id();
        pipelines.add(p);
        assertThat(created.built()).isFalse();
        assertThat(created.buildLog()).contains("SyntaxError");
        assertThat(fx.database.pipelines().findVersion(p, 1).orElseThrow().status()).isEqualTo(BuildStatus.FAILED);
        int count = 20;
        fx.publishIds(p, count);

        await(Duration.ofSeconds(5), "20 events waiting", () -> fx.stats(p).backlog() == count);
        fx.engine().reconcile();
        assertThat(fx.engine().status()).doesNotContainKey(p);
        assertThat(EngineFixture.workersOf(p)).isEmpty();
        assertThat(fx.stats(p).backlog()).as("events wait").isEqualTo(count);
        assertThat(fx.stats(p).inFlight()).isZero();
        assertThat(fx.broker.readLogs(p, new LogQuery(10, null, 100, null, null)).entries())
            .as("no runner tried to load it").isEmpty();

        var good = "def handler(data, log):\n    return {\"id\": data[\"id\"], \"v\": 2}\n";
        var v2 = fx.database.pipelines().addVersion(p, good, "", List.of(), BuildStatus.BUILDING);
        var build = fx.runtime.build(good, "", Map.of());
        assertThat(build.ok()).as(build.log()).isTrue();
        fx.database.pipelines().updateBuild(p, v2.version(), BuildStatus.READY, build.log());
        fx.update(p, old -> new Pipeline(old.id(), old.spaceId(), old.name(), old.state(), old.metadata(),
            old.sourceConnector(), old.sinkConnector(), old.settings(), v2.version(), old.createdAt(),
            old.updatedAt()));
        var results = fx.takeResults(p, count, RESULTS_WAIT);

        assertThat(responseIds(results)).isEqualTo(range(count));
        assertThat(results).allMatch(r -> json(r.response()).path("v").asInt() == 2);
        assertThat(fx.engine().status().get(p).version()).isEqualTo(2);
        fx.assertNothingMore(p);
    }

    @Test
    void functionLogsReachTheLogStreamWithTheirSeverities() {
        var p = pipeline("""
            import sys

            def handler(data, log):
                print("hello", data["id"])
                log.info("x %s", 1, k=2)
                log.warning("careful %s", data["id"])
                log.debug("details")
                print("oops", data["id"], file=sys.stderr)
                return data
            """, PLAIN);
        int count = 3;
        fx.publishIds(p, count);
        fx.takeResults(p, count, RESULTS_WAIT);

        var entries = EngineFixture.awaitValue(Duration.ofSeconds(10), "15 log entries", () -> {
            var page = fx.broker.readLogs(p, new LogQuery(1000, null, 100, null, null)).entries();
            return page.size() >= 5 * count ? Optional.of(page) : Optional.<List<byte[]>>empty();
        });

        var nodes = entries.stream().map(EngineFixture::json).toList();
        assertThat(nodes).hasSize(5 * count);
        for (int i = 0; i < count; i++) {
            assertSeverity(entry(nodes, "hello " + i), "INFO", 200);
            assertSeverity(entry(nodes, "careful " + i), "WARNING", 400);
            assertSeverity(entry(nodes, "oops " + i), "ERROR", 500);
        }
        var structured = nodes.stream().filter(n -> message(n).equals("x 1")).toList();
        assertThat(structured).hasSize(count).allSatisfy(e -> {
            assertSeverity(e, "INFO", 200);
            assertThat(e.path("payload").path("k").asInt()).isEqualTo(2);
        });
        assertThat(nodes.stream().filter(n -> message(n).equals("details")).toList()).hasSize(count)
            .allSatisfy(e -> assertSeverity(e, "DEBUG", 100));
        var warningsAndUp = fx.broker.readLogs(p, new LogQuery(1000, null, 400, null, null)).entries();
        assertThat(warningsAndUp).hasSize(2 * count);
        fx.assertNothingMore(p);
    }

    private static String message(JsonNode entry) {
        return entry.path("payload").path("message").asText();
    }

    private static JsonNode entry(List<JsonNode> entries, String message) {
        var matching = entries.stream().filter(e -> message(e).equals(message)).toList();
        assertThat(matching).as("log entries saying '%s'", message).hasSize(1);
        return matching.get(0);
    }

    private static void assertSeverity(JsonNode entry, String level, int severity) {
        assertThat(entry.path("level").asText()).isEqualTo(level);
        assertThat(entry.path("severity_code").asInt()).isEqualTo(severity);
        assertThat(entry.path("timestamp").asText()).isNotEmpty();
    }
}
