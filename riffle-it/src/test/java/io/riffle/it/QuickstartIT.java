package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.it.Api.Pipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a new user does after {@code ./riffle up}: embedded PostgreSQL and NATS in a fresh data dir, the admin token
 * from the data dir, then spaces, pipelines, events, logs, test runs, versions, pause and delete through the API.
 * One Riffle for the class; every test makes its own space and pipelines.
 */
class QuickstartIT {
    static final String HANDLER = """
        import os

        def handler(data, log):
            log.info("transforming event %s", data["n"], source="quickstart")
            print("printed", data["n"])
            return {"n": data["n"], "doubled": data["n"] * 2, "greeting": os.getenv("GREETING")}
        """;
    static final Duration WAIT = Duration.ofSeconds(60);
    private static RiffleProcess riffle;
    private static Api api;

    @BeforeAll
    static void up() {
        riffle = RiffleProcess.embedded(Map.of()).start();
        api = Api.of(riffle);
    }

    /** A test that stops Riffle and fails before starting it again must not take the others with it. */
    @BeforeEach
    void running() {
        if (!riffle.alive()) {
            riffle.start();
        }
    }

    @AfterAll
    static void down() {
        if (riffle != null) {
            riffle.close();
        }
    }

    private static Pipeline echoPipeline(String space) {
        return api.createPipeline(space, "echo", HANDLER,
            Map.of("environments", List.of(Map.of("name", "GREETING", "value", "hello"))));
    }

    private static String event(int n) {
        return "{\"n\":" + n + "}";
    }

    @Test
    void startsWithAnAdminTokenAndHealthEndpoints() {
        assertThat(riffle.adminToken()).isNotBlank();
        assertThat(api.send("GET", "/healthz", Map.of(), java.net.http.HttpRequest.BodyPublishers.noBody())
            .status()).isEqualTo(200);
        assertThat(api.send("GET", "/readyz", Map.of(), java.net.http.HttpRequest.BodyPublishers.noBody())
            .status()).isEqualTo(200);
        var metrics = api.send("GET", "/metrics", Map.of(), java.net.http.HttpRequest.BodyPublishers.noBody());
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_");
        var space = api.createSpace("first-space");
        var spaces = api.get("/v1/spaces").expect(200).json();
        assertThat(spaces.path("spaces").findValuesAsText("id")).contains(space);
        assertThat(spaces.path("total_amount").asInt()).isEqualTo(spaces.path("spaces").size());
    }

    @Test
    void publishedEventsComeBackTransformedWithLogsAndEnvironment() {
        var p = echoPipeline(api.createSpace("quickstart"));
        api.awaitReady(p);
        api.data("GET", p.path("/status/access_token"), p.token(), null).expect(200);
        for (int n = 0; n < 20; n++) {
            api.publish(p, event(n)).expect(200);
        }
        var results = api.consumeResults(p, 20, WAIT);
        for (int n = 0; n < 20; n++) {
            var r = results.get(n);
            assertThat(r.path("status").asText()).isEqualTo("Success");
            assertThat(r.path("payload").path("n").asInt()).isEqualTo(n);
            assertThat(r.path("response").path("n").asInt()).isEqualTo(n);
            assertThat(r.path("response").path("doubled").asInt()).isEqualTo(2 * n);
            assertThat(r.path("response").path("greeting").asText()).isEqualTo("hello");
            assertThat(r.path("event_context").path("request_id").asText()).isNotBlank()
                .isEqualTo(r.path("req_id").asText());
            assertThat(r.path("receive_time").asText()).endsWith("Z");
        }
        assertThat(api.consume(p).status()).isEqualTo(204);

        var logs = Await.awaitValue("40 log entries", WAIT, () -> messages(p, 1000),
            m -> m.size() >= 40);
        for (int n = 0; n < 20; n++) {
            assertThat(logs).contains("transforming event " + n, "printed " + n);
        }
        var info = api.get(p.path("/functions/main/logs?page_size=1000&severity_code=200")).expect(200).json();
        var entry = info.path("logs").get(0);
        assertThat(entry.path("level").asText()).isEqualTo("INFO");
        assertThat(entry.path("severity_code").asInt()).isEqualTo(200);
        assertThat(entry.path("timestamp").asText()).endsWith("Z");
        assertThat(entry.path("payload").path("message").asText()).isEqualTo("transforming event 0");
        assertThat(entry.path("payload").path("source").asText()).as("structlog-style field").isEqualTo("quickstart");
        assertThat(info.path("next").isTextual()).isTrue();

        var first = api.get(p.path("/functions/main/logs?page_size=2")).expect(200).json();
        assertThat(first.path("logs")).hasSize(2);
        var next = first.path("next").asText();
        assertThat(next).isNotBlank();
        var second = api.get(p.path("/functions/main/logs?page_size=2&page_token=" + next)).expect(200).json();
        assertThat(second.path("logs")).hasSize(2);
        assertThat(List.of(text(first, 0), text(first, 1), text(second, 0), text(second, 1)))
            .isEqualTo(logs.subList(0, 4));
    }

    private static String text(JsonNode page, int i) {
        return page.path("logs").get(i).path("payload").path("message").asText();
    }

    private static List<String> messages(Pipeline p, int pageSize) {
        var page = api.get(p.path("/functions/main/logs?page_size=" + pageSize)).expect(200).json();
        var out = new ArrayList<String>();
        page.path("logs").forEach(l -> out.add(l.path("payload").path("message").asText()));
        return out;
    }

    @Test
    void raisingHandlerSendsItsEventsToDeadLetters() {
        var p = api.createPipeline(api.createSpace("raising"), "raising", """
            def handler(data, log):
                if data["n"] % 2:
                    raise ValueError("odd number " + str(data["n"]))
                return {"n": data["n"]}
            """, Map.of());
        api.awaitReady(p);
        for (int n = 0; n < 6; n++) {
            api.publish(p, event(n)).expect(200);
        }
        var ok = api.consumeResults(p, 3, WAIT);
        assertThat(ok).extracting(r -> r.path("response").path("n").asInt()).containsExactly(0, 2, 4);
        var failed = api.consumeFailures(p, 3, WAIT);
        assertThat(failed).extracting(r -> r.path("payload").path("n").asInt()).containsExactly(1, 3, 5);
        for (var f : failed) {
            assertThat(f.path("status").asText()).isEqualTo("Failed");
            assertThat(f.path("error_details").asText()).contains("ValueError").contains("odd number");
            assertThat(f.path("stack_trace").asText()).contains("Traceback").contains("in handler")
                .contains("raise ValueError");
        }
        assertThat(api.consume(p).status()).isEqualTo(204);
        assertThat(api.consumeFailed(p).status()).isEqualTo(204);
    }

    @Test
    void testRunReturnsTheResultWithoutPublishingAnything() {
        var p = echoPipeline(api.createSpace("test-run"));
        api.awaitReady(p);
        var r = api.post(p.path("/functions/main/test"), Map.of("n", 21)).expect(200).json();
        assertThat(r.path("status").asText()).isEqualTo("Success");
        assertThat(r.path("payload").path("n").asInt()).isEqualTo(21);
        assertThat(r.path("response").path("doubled").asInt()).isEqualTo(42);
        assertThat(r.path("response").path("greeting").asText()).isEqualTo("hello");
        assertThat(r.path("error_details").isNull()).isTrue();
        assertThat(r.path("logs").findValuesAsText("message")).contains("transforming event 21");

        var failing = api.post(p.path("/functions/main/test"), Map.of("no_n", true)).expect(200).json();
        assertThat(failing.path("status").asText()).isEqualTo("Failed");
        assertThat(failing.path("error_details").asText()).contains("KeyError");
        assertThat(failing.path("stack_trace").asText()).contains("Traceback");

        var status = api.status(p);
        assertThat(status.path("input_stored").asInt()).isZero();
        assertThat(status.path("output_waiting").asInt()).isZero();
        assertThat(api.consume(p).status()).isEqualTo(204);
        assertThat(api.consumeFailed(p).status()).isEqualTo(204);
    }

    @Test
    void uploadedVersionBecomesActiveAndRollbackRestoresTheOldOne() {
        var p = api.createPipeline(api.createSpace("versions"), "versions", """
            def handler(data, log):
                return {"version": 1}
            """, Map.of());
        api.awaitReady(p);
        assertThat(probeVersion(p)).isEqualTo(1);

        var v2 = """
            def handler(data, log):
                return {"version": 2}
            """;
        var parts = new LinkedHashMap<String, String>();
        parts.put("file", v2);
        parts.put("requirementsTxt", "# no dependencies\n");
        var upload = api.multipart(p.path("/functions/main/artifacts"), parts, "file").expect(200).json();
        assertThat(upload.path("version").asInt()).isEqualTo(2);
        Await.await("version 2 active", WAIT,
            () -> api.get(p.path("")).expect(200).json().path("function").path("active_version").asInt() == 2);
        var latest = api.get(p.path("/functions/main/artifacts/latest")).expect(200).json();
        assertThat(latest.path("transformation_function").asText()).isEqualTo(v2);
        assertThat(latest.path("requirements_txt").asText()).isEqualTo("# no dependencies\n");
        assertThat(latest.path("files").get(0).path("content").asText()).isEqualTo(v2);
        Await.await("results of version 2", WAIT, () -> probeVersion(p) == 2);

        var versions = api.get(p.path("/functions/main/versions")).expect(200).json();
        assertThat(versions.path("versions").findValuesAsText("status")).containsOnly("ready");
        api.post(p.path("/functions/main/versions/1/activate"), "").expect(200);
        assertThat(api.get(p.path("/functions/main/versions")).expect(200).json().path("active_version").asInt())
            .isEqualTo(1);
        Await.await("results of version 1 again", WAIT, () -> probeVersion(p) == 1);
        assertThat(api.post(p.path("/functions/main/versions/9/activate"), "").status()).isEqualTo(404);
    }

    /** Publishes one event and returns the {@code version} field of its result. */
    private static int probeVersion(Pipeline p) {
        api.publish(p, "{\"probe\":true}").expect(200);
        return api.consumeResults(p, 1, WAIT).get(0).path("response").path("version").asInt();
    }

    @Test
    void pausedPipelineKeepsEventsUntilItRunsAgain() {
        var p = echoPipeline(api.createSpace("pause"));
        api.awaitReady(p);
        api.setState(p, "paused");
        assertThat(api.get(p.path("")).expect(200).json().path("state").asText()).isEqualTo("paused");
        for (int n = 0; n < 5; n++) {
            api.publish(p, event(n)).expect(200);
        }
        // backlog + in_flight: see pauseHoldsEveryEventInTheBacklog for why one may show as in flight
        var waiting = Await.awaitValue("5 events waiting", WAIT, () -> api.status(p),
            s -> s.path("backlog").asInt() + s.path("in_flight").asInt() == 5);
        assertThat(waiting.path("output_waiting").asInt()).isZero();
        assertThat(api.consume(p).status()).isEqualTo(204);

        api.setState(p, "running");
        var results = api.consumeResults(p, 5, WAIT);
        assertThat(results).extracting(r -> r.path("response").path("n").asInt()).containsExactly(0, 1, 2, 3, 4);
        assertThat(api.status(p).path("backlog").asInt()).isZero();
    }

    @Test
    void pauseHoldsEveryEventInTheBacklog() {
        var p = echoPipeline(api.createSpace("pause-strict"));
        api.awaitReady(p);
        api.setState(p, "paused");
        for (int n = 0; n < 5; n++) {
            api.publish(p, event(n)).expect(200);
        }
        Await.await("5 stored", WAIT, () -> api.status(p).path("input_stored").asInt() == 5);
        var status = api.status(p);
        assertThat(status.path("backlog").asInt()).as("backlog; status %s", status).isEqualTo(5);
        assertThat(status.path("in_flight").asInt()).as("in_flight; status %s", status).isZero();
    }

    @Test
    void deletedPipelineIsGoneAndTheEmptySpaceCanBeDeleted() {
        var space = api.createSpace("to-delete");
        var p = echoPipeline(space);
        api.awaitReady(p);
        api.publish(p, event(1)).expect(200);

        var notEmpty = api.delete("/v1/spaces/" + space);
        Api.assertProblem(notEmpty, 409);

        assertThat(api.delete(p.path("")).status()).isIn(200, 204);
        assertThat(api.get(p.path("")).status()).isEqualTo(404);
        assertThat(api.get(p.path("/status")).status()).isEqualTo(404);
        Api.assertProblem(api.data("GET", p.path("/status/access_token"), p.token(), null), 404);
        Api.assertProblem(api.publish(p, event(2)), 404);
        Api.assertProblem(api.consume(p), 404);
        Api.assertProblem(api.consumeFailed(p), 404);
        var listed = api.get("/v1/pipelines?space_id=" + space).expect(200).json();
        assertThat(listed.path("total_amount").asInt()).isZero();

        assertThat(api.delete("/v1/spaces/" + space).status()).isEqualTo(204);
        assertThat(api.get("/v1/spaces").expect(200).json().path("spaces").findValuesAsText("id"))
            .doesNotContain(space);
    }

    @Test
    void pipelinesAndAcceptedEventsSurviveARestart() {
        var space = api.createSpace("restart");
        var p = echoPipeline(space);
        api.awaitReady(p);
        api.setState(p, "paused");
        var sent = IntStream.range(100, 110).boxed().toList();
        for (int n : sent) {
            api.publish(p, event(n)).expect(200);
        }
        Await.await("10 events stored", WAIT, () -> api.status(p).path("input_stored").asInt() == 10);

        int exit = riffle.stop();
        riffle.start();
        // 143 = 128 + SIGTERM: the JVM's usual status after its shutdown hooks ran on SIGTERM
        assertThat(exit).as("exit code of a clean stop").isIn(0, 143);
        assertThat(riffle.logText()).doesNotContain("left running by an earlier Riffle");

        var after = api.get(p.path("")).expect(200).json();
        assertThat(after.path("name").asText()).isEqualTo("echo");
        assertThat(after.path("state").asText()).isEqualTo("paused");
        assertThat(after.path("environments").get(0).path("value").asText()).isEqualTo("hello");
        var status = api.status(p);
        assertThat(status.path("function_status").asText()).isEqualTo("ready");
        assertThat(status.path("backlog").asInt() + status.path("in_flight").asInt()).isEqualTo(10);
        assertThat(status.path("output_waiting").asInt()).isZero();

        api.setState(p, "running");
        var results = api.consumeResults(p, 10, WAIT);
        var seen = new HashSet<Integer>();
        results.forEach(r -> seen.add(r.path("response").path("n").asInt()));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(api.consume(p).status()).isEqualTo(204);
    }
}
