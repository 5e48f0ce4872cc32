package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Riffle's additions around dead letters and results: list dead letters without taking them, fix the function,
 * replay them, purge; take results in batches.
 */
class DeadLettersIT {
    private static RiffleProcess riffle;
    private static Api api;

    @BeforeAll
    static void start() {
        riffle = RiffleProcess.embedded(Map.of()).start();
        api = Api.of(riffle);
    }

    @AfterAll
    static void stop() {
        riffle.close();
    }

    @Test
    void deadLettersAreListedReplayedAfterAFixAndPurged() {
        var space = api.createSpace("dlq");
        var p = api.createPipeline(space, "dlq", """
            def handler(data, log):
                if data.get("bad"):
                    raise ValueError("bad event %s" % data["id"])
                return {"id": data["id"], "fixed": False}
            """, Map.of());
        api.awaitReady(p);
        var events = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            events.add("{\"id\":" + i + ",\"bad\":" + (i % 2 == 0) + "}");
        }
        api.publishBatch(p, events);

        var first = takeBatch(p, 5);
        assertThat(first).extracting(n -> n.path("response").path("id").asInt()).containsExactlyInAnyOrder(1, 3, 5,
            7, 9);
        Await.await("five dead letters", Duration.ofSeconds(30), () -> listed(p).size() == 5);
        var listed = listed(p);
        assertThat(listed(p)).as("listing does not take them").hasSize(5);
        assertThat(listed.get(0).path("error_details").asText()).startsWith("ValueError: bad event");
        assertThat(listed.get(0).path("sequence").asLong()).isPositive();

        api.patch(p.path(""), Map.of("transformation_function", """
            def handler(data, log):
                return {"id": data["id"], "fixed": True}
            """)).expect(200);
        Await.await("version 2 active", Duration.ofSeconds(60),
            () -> api.status(p).path("active_version").asInt() == 2 && api.status(p).path("function_status")
                .asText().equals("ready"));
        Await.await("version 2 running", Duration.ofSeconds(60),
            () -> api.status(p).path("running_version").asInt() == 2);

        var replayed = api.post(p.path("/dead_letters/replay"), Map.of("all", true)).expect(200).json();
        assertThat(replayed.path("replayed").asInt()).isEqualTo(5);
        var second = takeBatch(p, 5);
        assertThat(second).allMatch(n -> n.path("response").path("fixed").asBoolean());
        assertThat(second).extracting(n -> n.path("response").path("id").asInt()).containsExactlyInAnyOrder(0, 2, 4,
            6, 8);
        assertThat(listed(p)).isEmpty();
        assertThat(api.delete(p.path("/dead_letters")).expect(200).json().path("purged").asLong()).isZero();
    }

    @Test
    void batchConsumeTakesManyResultsAtOnceAndEachOnce() {
        var space = api.createSpace("batch");
        var p = api.createPipeline(space, "batch", "def handler(data, log):\n    return data\n",
            Map.of("settings", Map.of("replicas", 1)));
        api.awaitReady(p);
        var events = new ArrayList<String>();
        for (int i = 0; i < 300; i++) {
            events.add("{\"id\":" + i + "}");
        }
        api.publishBatch(p, events);
        var ids = new HashSet<Integer>();
        var all = takeBatch(p, 300);
        all.forEach(n -> ids.add(n.path("response").path("id").asInt()));
        assertThat(all).hasSize(300);
        assertThat(ids).hasSize(300);
        var empty = api.data("POST", p.path("/topics/output/events/consume/batch?wait_ms=200"), p.token(), null)
            .expect(200).json();
        assertThat(empty.path("count").asInt()).isZero();
    }

    private static java.util.List<com.fasterxml.jackson.databind.JsonNode> listed(Api.Pipeline p) {
        var out = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
        api.get(p.path("/dead_letters")).expect(200).json().path("dead_letters").forEach(out::add);
        return out;
    }

    private static java.util.List<com.fasterxml.jackson.databind.JsonNode> takeBatch(Api.Pipeline p, int count) {
        var out = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
        Await.await(count + " results in batches", Duration.ofSeconds(60), () -> {
            var r = api.data("POST", p.path("/topics/output/events/consume/batch?max=100&wait_ms=500"), p.token(),
                null).expect(200).json();
            r.path("events").forEach(out::add);
            return out.size() >= count;
        });
        return out;
    }
}
