package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.it.Api.Pipeline;
import io.riffle.it.Api.Response;
import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestNats;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything a client can get wrong, and functions that misbehave: each refusal has the right status and a JSON
 * {@code {detail, msg}} body and changes nothing; a broken function fails visibly without taking Riffle down.
 */
class BadInputIT {
    static final int MAX_EVENT_BYTES = 4096;
    static final Duration WAIT = Duration.ofSeconds(60);
    private static TestDatabase db;
    private static TestNats nats;
    private static RiffleProcess riffle;
    private static Api api;
    private static String space;
    private static Pipeline echo;
    private static Pipeline other;

    @BeforeAll
    static void up() {
        db = TestDatabase.create();
        nats = TestNats.start();
        riffle = RiffleProcess.external(db, nats, Map.of("RIFFLE_MAX_EVENT_BYTES", Integer.toString(MAX_EVENT_BYTES),
            "RIFFLE_MAX_STREAM_BYTES", "65536")).start();
        api = Api.of(riffle);
        space = api.createSpace("bad-input");
        echo = api.createPipeline(space, "echo", "def handler(data, log):\n    return data\n", Map.of());
        other = api.createPipeline(space, "other", "def handler(data, log):\n    return data\n", Map.of());
        api.awaitReady(echo);
    }

    @AfterAll
    static void down() {
        if (riffle != null) {
            riffle.close();
        }
        if (nats != null) {
            nats.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** One wrong call and the status it must get. */
    record Refusal(String name, int status, Function<Api, Response> call) {
        @Override
        public String toString() {
            return name + " → " + status;
        }
    }

    static Stream<Refusal> refusals() {
        var big = "{\"pad\":\"" + "x".repeat(MAX_EVENT_BYTES + 100) + "\"}";
        return Stream.of(
            new Refusal("malformed JSON event", 400, a -> a.publish(echo, "{\"n\":")),
            new Refusal("array event", 400, a -> a.publish(echo, "[1,2]")),
            new Refusal("string event", 400, a -> a.publish(echo, "\"text\"")),
            new Refusal("number event", 400, a -> a.publish(echo, "42")),
            new Refusal("null event", 400, a -> a.publish(echo, "null")),
            new Refusal("empty body", 400, a -> a.publish(echo, "")),
            new Refusal("event over RIFFLE_MAX_EVENT_BYTES", 413, a -> a.publish(echo, big)),
            new Refusal("batch with an event over the limit", 413,
                a -> a.data("POST", echo.path("/topics/input/events/batch"), echo.token(), "[{\"n\":1}," + big + "]")),
            new Refusal("empty batch", 400,
                a -> a.data("POST", echo.path("/topics/input/events/batch"), echo.token(), " ")),
            new Refusal("unknown pipeline", 404, a -> a.publish(new Pipeline(UUID.randomUUID().toString(),
                echo.token()), "{\"n\":1}")),
            new Refusal("wrong token", 401, a -> a.publish(new Pipeline(echo.id(), "rfl_pipe_wrong"), "{\"n\":1}")),
            new Refusal("missing token", 401, a -> a.data("POST", echo.path("/topics/input/events"), null,
                "{\"n\":1}")),
            new Refusal("token of another pipeline", 401, a -> a.publish(new Pipeline(echo.id(), other.token()),
                "{\"n\":1}")),
            new Refusal("consume with a wrong token", 401, a -> a.consume(new Pipeline(echo.id(), "nope"))),
            new Refusal("validate a wrong token", 401, a -> a.data("GET", echo.path("/status/access_token"), "nope",
                null)),
            new Refusal("validate a token of an unknown pipeline", 404, a -> a.data("GET", "/v1/pipelines/"
                + UUID.randomUUID() + "/status/access_token", echo.token(), null)),
            new Refusal("no personal access token", 401, a -> a.send("GET", "/v1/pipelines", Map.of(),
                BodyPublishers.noBody())),
            new Refusal("bad personal access token", 401, a -> a.send("GET", "/v1/pipelines",
                Map.of(Api.PAT, "not-a-token"), BodyPublishers.noBody())),
            new Refusal("bad bearer token", 401, a -> a.send("POST", "/v1/spaces",
                Map.of("Authorization", "Bearer not-a-token"), BodyPublishers.ofString("{\"name\":\"x\"}"))),
            new Refusal("unknown route", 404, a -> a.send("GET", "/v1/no/such/route", Map.of(Api.PAT, "x"),
                BodyPublishers.noBody())),
            new Refusal("create pipeline without transformation_function", 400, a -> a.post("/v1/pipelines",
                Map.of("name", "x", "space_id", space))),
            new Refusal("create pipeline without name", 400, a -> a.post("/v1/pipelines",
                Map.of("space_id", space, "transformation_function", "def handler(data, log):\n    return data\n"))),
            new Refusal("create pipeline in an unknown space", 404, a -> a.post("/v1/pipelines",
                Map.of("name", "x", "space_id", UUID.randomUUID().toString(),
                    "transformation_function", "def handler(data, log):\n    return data\n"))),
            new Refusal("create pipeline with negative replicas", 400, a -> a.post("/v1/pipelines",
                Map.of("name", "x", "space_id", space, "settings", Map.of("replicas", -1),
                    "transformation_function", "def handler(data, log):\n    return data\n"))),
            new Refusal("create pipeline with a text timeout", 400, a -> a.post("/v1/pipelines",
                Map.of("name", "x", "space_id", space, "settings", Map.of("timeout_ms", "soon"),
                    "transformation_function", "def handler(data, log):\n    return data\n"))),
            new Refusal("create pipeline ordered by something that is not a JSON pointer", 400,
                a -> a.post("/v1/pipelines", Map.of("name", "x", "space_id", space, "settings",
                    Map.of("ordering", "key", "ordering_key", "user_id"),
                    "transformation_function", "def handler(data, log):\n    return data\n"))),
            new Refusal("create pipeline with an unknown ordering", 400, a -> a.post("/v1/pipelines",
                Map.of("name", "x", "space_id", space, "settings", Map.of("ordering", "fifo"),
                    "transformation_function", "def handler(data, log):\n    return data\n"))),
            new Refusal("create pipeline with an unknown state", 400, a -> a.post("/v1/pipelines",
                Map.of("name", "x", "space_id", space, "state", "sleeping",
                    "transformation_function", "def handler(data, log):\n    return data\n"))),
            new Refusal("create pipeline with malformed JSON", 400, a -> a.post("/v1/pipelines", "{\"name\":")),
            new Refusal("create space without name", 400, a -> a.post("/v1/spaces", Map.of())),
            new Refusal("patch pipeline to an unknown state", 400, a -> a.patch(echo.path(""),
                Map.of("state", "sleeping"))),
            new Refusal("bad page_token", 400, a -> a.get(echo.path("/functions/main/logs?page_token=garbage"))),
            new Refusal("page_size 0", 400, a -> a.get(echo.path("/functions/main/logs?page_size=0"))),
            new Refusal("start_time not RFC 3339", 400, a -> a.get(echo.path("/functions/main/logs?start_time=noon"))),
            new Refusal("activate a version that does not exist", 404,
                a -> a.post(echo.path("/functions/main/versions/99/activate"), "")),
            new Refusal("test run with a malformed sample", 400, a -> a.post(echo.path("/functions/main/test"),
                "{oops")),
            new Refusal("artifact upload that is not multipart", 400,
                a -> a.post(echo.path("/functions/main/artifacts"), Map.of("file", "x"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalIsCleanAndChangesNothing(Refusal refusal) {
        var before = fingerprint();
        var response = refusal.call().apply(api);
        Api.assertProblem(response, refusal.status());
        assertThat(fingerprint()).as("state after: %s", refusal.name()).isEqualTo(before);
    }

    /** What a refusal must not change: stored events, pipelines, spaces, function versions. */
    private static List<Object> fingerprint() {
        var out = new ArrayList<Object>();
        out.add(api.status(echo).path("input_stored").asLong());
        out.add(api.status(other).path("input_stored").asLong());
        out.add(api.get("/v1/pipelines").expect(200).json().path("total_amount").asInt());
        out.add(api.get("/v1/spaces").expect(200).json().path("total_amount").asInt());
        out.add(api.get(echo.path("/functions/main/versions")).expect(200).json().path("versions").size());
        out.add(api.get(echo.path("")).expect(200).json().path("state").asText());
        return out;
    }

    @Test
    void orderedPipelineRefusesEventsWithoutTheKeyAndOrderingChangesWhileEventsWait() {
        var ordered = api.createPipeline(space, "ordered", "def handler(data, log):\n    return data\n",
            Map.of("settings", Map.of("ordering", "key", "ordering_key", "/user_id", "partitions", 4)));
        var refused = api.publish(ordered, "{\"n\":1}");
        Api.assertProblem(refused, 400);
        assertThat(refused.json().path("detail").asText()).contains("ordering_key \"/user_id\"");
        api.publish(ordered, "{\"user_id\":7,\"n\":1}").expect(200);
        var batch = api.data("POST", ordered.path("/topics/input/events/batch"), ordered.token(),
            "[{\"user_id\":\"a\"},{\"n\":2}]").expect(200).json();
        assertThat(batch.path("accepted").asInt()).isEqualTo(1);
        assertThat(batch.path("results").get(1).path("error").asText()).contains("/user_id");
        var settings = api.get(ordered.path("")).expect(200).json().path("settings");
        assertThat(settings.path("ordering").asText()).isEqualTo("key");
        assertThat(settings.path("ordering_key").asText()).isEqualTo("/user_id");
        assertThat(settings.path("partitions").asInt()).isEqualTo(4);

        var held = api.createPipeline(space, "held", "def handler(data, log):\n    return data\n",
            Map.of("state", "paused"));
        api.publish(held, "{\"user_id\":1}").expect(200);
        var conflict = api.patch(held.path(""), Map.of("settings", Map.of("ordering", "key", "ordering_key",
            "/user_id")));
        Api.assertProblem(conflict, 409);
        assertThat(conflict.json().path("detail").asText()).contains("1 event(s) waiting");
        assertThat(api.get(held.path("")).expect(200).json().path("settings").path("ordering").asText())
            .isEqualTo("none");
    }

    @Test
    void unknownRouteAnswersDetailAndMsgToJsonClients() {
        Api.assertProblem(api.get("/v1/no/such/route"), 404);
    }

    @Test
    void syntaxErrorFailsTheBuildWithoutACrashLoop() {
        var p = api.createPipeline(space, "syntax-error", "def handler(data, log)\n    return data\n", Map.of());
        var status = api.awaitFunctionStatus(p, "failed", WAIT);
        assertThat(status.path("function_status").asText()).isEqualTo("failed");
        assertThat(status.path("error").asText()).contains("SyntaxError");
        api.publish(p, "{\"n\":1}").expect(200);
        Await.holds("no runner and no worker restarts", Duration.ofSeconds(3), () -> {
            var s = api.status(p);
            return s.path("replicas").asInt() == 0 && s.path("worker_restarts").asInt() == 0
                && s.path("input_stored").asInt() == 1;
        });
        assertThat(riffle.pythonWorkers().stream().filter(w -> w.info().commandLine().orElse("").contains(p.id())))
            .isEmpty();
    }

    @Test
    void functionWithoutHandlerFailsTheBuild() {
        var p = api.createPipeline(space, "no-handler", "def transform(data, log):\n    return data\n", Map.of());
        var status = api.awaitFunctionStatus(p, "failed", WAIT);
        assertThat(status.path("function_status").asText()).isEqualTo("failed");
        assertThat(status.path("error").asText()).contains("handler");
        assertThat(status.path("replicas").asInt()).isZero();
        assertThat(status.path("worker_restarts").asInt()).isZero();
    }

    @Test
    void resultThatIsNotJsonIsDeadLettered() {
        var p = api.createPipeline(space, "returns-set", """
            def handler(data, log):
                if data.get("bad"):
                    return {1, 2}
                return data
            """, Map.of());
        api.awaitReady(p);
        api.publish(p, "{\"n\":1}").expect(200);
        api.publish(p, "{\"n\":2,\"bad\":true}").expect(200);
        api.publish(p, "{\"n\":3}").expect(200);
        var failed = api.consumeFailures(p, 1, WAIT).get(0);
        assertThat(failed.path("payload").path("n").asInt()).isEqualTo(2);
        assertThat(failed.path("error_details").asText()).contains("not JSON-serialisable");
        assertThat(api.consumeResults(p, 2, WAIT)).extracting(r -> r.path("response").path("n").asInt())
            .containsExactly(1, 3);
    }

    @Test
    void handlerThatNeverReturnsIsTimedOutAndDeadLettered() {
        var p = api.createPipeline(space, "hangs", """
            import time

            def handler(data, log):
                if data.get("hang"):
                    while True:
                        time.sleep(1)
                return {"n": data["n"]}
            """, Map.of("settings", Map.of("timeout_ms", 500, "max_retries", 1)));
        api.awaitReady(p);
        for (int n = 0; n < 6; n++) {
            api.publish(p, n == 3 ? "{\"n\":3,\"hang\":true}" : "{\"n\":" + n + "}").expect(200);
        }
        var failed = api.consumeFailures(p, 1, WAIT).get(0);
        assertThat(failed.path("payload").path("n").asInt()).isEqualTo(3);
        assertThat(failed.path("error_details").asText()).contains("timed out");
        assertThat(failed.path("attempts").asInt()).isEqualTo(2);
        var results = api.consumeResults(p, 5, WAIT);
        assertThat(results).extracting(r -> r.path("response").path("n").asInt())
            .containsExactlyInAnyOrder(0, 1, 2, 4, 5);
        assertThat(api.status(p).path("worker_restarts").asInt()).isEqualTo(2);
        assertThat(api.consumeFailed(p).status()).isEqualTo(204);
    }

    @Test
    void workerThatExitsIsRetriedThenDeadLettered() {
        var p = api.createPipeline(space, "exits", """
            import os

            def handler(data, log):
                if data.get("die"):
                    os._exit(3)
                return {"n": data["n"]}
            """, Map.of("settings", Map.of("max_retries", 2)));
        api.awaitReady(p);
        api.publish(p, "{\"n\":1}").expect(200);
        api.publish(p, "{\"n\":2,\"die\":true}").expect(200);
        api.publish(p, "{\"n\":3}").expect(200);
        var failed = api.consumeFailures(p, 1, WAIT).get(0);
        assertThat(failed.path("payload").path("n").asInt()).isEqualTo(2);
        assertThat(failed.path("error_details").asText()).contains("exited");
        assertThat(failed.path("attempts").asInt()).as("first delivery + max_retries").isEqualTo(3);
        assertThat(api.consumeResults(p, 2, WAIT)).extracting(r -> r.path("response").path("n").asInt())
            .containsExactlyInAnyOrder(1, 3);
        assertThat(api.status(p).path("worker_restarts").asInt()).isEqualTo(3);
        var logs = api.get(p.path("/functions/main/logs?severity_code=500")).expect(200).json();
        assertThat(logs.path("logs").findValuesAsText("message")).anyMatch(m -> m.contains("exited"));
    }

    @Test
    void fullInputStreamRefusesWith429AndKeepsWhatItAccepted() {
        var p = api.createPipeline(space, "fills-up", "def handler(data, log):\n    return {\"n\": data[\"n\"]}\n",
            Map.of("state", "paused"));
        api.awaitReady(p);
        var pad = "p".repeat(1000);
        var accepted = new HashSet<Integer>();
        Response refused = null;
        for (int n = 0; n < 500 && refused == null; n++) {
            var r = api.publish(p, "{\"n\":" + n + ",\"pad\":\"" + pad + "\"}");
            if (r.status() == 200) {
                accepted.add(n);
            } else {
                refused = r;
            }
        }
        assertThat(refused).as("a refusal within 500 events of 1 KB into a 64 KiB stream").isNotNull();
        Api.assertProblem(refused, 429);
        assertThat(refused.header("Retry-After")).isNotBlank();
        var batch = api.data("POST", p.path("/topics/input/events/batch"), p.token(), "[{\"n\":-1,\"pad\":\""
            + pad + "\"}]");
        Api.assertProblem(batch, 429);
        assertThat(batch.header("Retry-After")).isNotBlank();
        System.out.printf("BadInputIT: a paused pipeline with RIFFLE_MAX_STREAM_BYTES=65536 accepted %d events "
            + "of 1 KB, then answered 429%n", accepted.size());
        assertThat(api.status(p).path("input_stored").asInt()).isEqualTo(accepted.size());

        api.setState(p, "running");
        var results = api.consumeResults(p, accepted.size(), WAIT);
        var consumed = new HashSet<Integer>();
        results.forEach(r -> consumed.add(r.path("response").path("n").asInt()));
        assertThat(consumed).as("accepted == consumed").isEqualTo(accepted);
        assertThat(results).hasSize(accepted.size());
        assertThat(api.consume(p).status()).isEqualTo(204);
        assertThat(api.consumeFailed(p).status()).isEqualTo(204);
    }
}
