package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.it.Api.Pipeline;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The books of one fault test: which numbered events a client got accepted, and what came back out of the pipeline
 * (results and dead letters), so that the end of a test can say published = results + dead letters with no id lost
 * and none twice. Publishes are retried the way a careful client retries (same {@code Idempotency-Key}) while the
 * platform answers 429/503; any other answer fails the test. Not thread-safe: one test thread drives it.
 */
final class Ledger {
    static final Duration RETRY_FOR = Duration.ofSeconds(120);
    private final Api api;
    private final Pipeline pipeline;
    private final String label;
    private final TreeSet<Integer> published = new TreeSet<>();
    private final Map<Integer, Integer> results = new HashMap<>();
    private final Map<Integer, Integer> dead = new HashMap<>();
    private final Map<Integer, Integer> refusals = new LinkedHashMap<>();
    private int resultCount;
    private int deadCount;

    Ledger(Api api, Pipeline pipeline, String label) {
        this.api = api;
        this.pipeline = pipeline;
        this.label = label;
    }

    /** A handler that returns the event's id after a little work, so a fault lands mid-stream. */
    static final String HANDLER = """
        import time

        def handler(data, log):
            time.sleep(0.002)
            return {"id": data["id"]}
        """;

    /**
     * Publishes ids {@code from} (inclusive) to {@code to} (exclusive) in batches of {@code batch}, each batch
     * retried with the same idempotency key until all of it is stored.
     */
    void publish(int from, int to, int batch) {
        for (int start = from; start < to; start += batch) {
            int end = Math.min(to, start + batch);
            var events = new ArrayList<String>();
            for (int id = start; id < end; id++) {
                events.add("{\"id\":" + id + "}");
            }
            var key = "ledger-" + start + "-" + end;
            var body = "[" + String.join(",", events) + "]";
            Await.await("batch " + start + ".." + end + " of " + label + " accepted", RETRY_FOR,
                () -> batchStored(key, body));
            for (int id = start; id < end; id++) {
                published.add(id);
            }
        }
    }

    private boolean batchStored(String key, String body) {
        var r = api.send("POST", pipeline.path("/topics/input/events/batch"), Map.of(Api.DATA_TOKEN,
            pipeline.token(), "Content-Type", "application/json", "Idempotency-Key", key), BodyPublishers.ofString(body));
        if (r.status() == 200) {
            var json = r.json();
            if (json.path("rejected").asInt() == 0) {
                return true;
            }
            refusals.merge(200, 1, Integer::sum); // partly stored: the retry stores the rest, the key dedupes
            return false;
        }
        refused(r);
        return false;
    }

    /** Publishes one event (Idempotency-Key {@code event-<id>}) until it is stored. */
    void publishOne(int id) {
        Await.await("event " + id + " of " + label + " accepted", RETRY_FOR, () -> {
            var r = api.send("POST", pipeline.path("/topics/input/events"), Map.of(Api.DATA_TOKEN, pipeline.token(),
                "Content-Type", "application/json", "Idempotency-Key", "event-" + id),
                BodyPublishers.ofString("{\"id\":" + id + "}"));
            if (r.status() == 200) {
                return true;
            }
            refused(r);
            return false;
        });
        published.add(id);
    }

    private void refused(Api.Response r) {
        assertThat(r.status()).as("a publish may only be refused with 429 or 503: %s", r).isIn(429, 503);
        Api.assertProblem(r, r.status());
        assertThat(r.header("Retry-After")).as("Retry-After of %s", r).isNotBlank();
        refusals.merge(r.status(), 1, Integer::sum);
    }

    /** Takes every result and dead letter available now; returns how many results were taken. */
    int takeAvailable() {
        int taken = 0;
        Api.Response r;
        while ((r = api.consume(pipeline)).status() == 200) {
            resultCount++;
            taken++;
            results.merge(r.json().path("response").path("id").asInt(), 1, Integer::sum);
        }
        assertThat(r.status()).as("consume: %s", r).isEqualTo(204);
        while ((r = api.consumeFailed(pipeline)).status() == 200) {
            deadCount++;
            dead.merge(r.json().path("payload").path("id").asInt(), 1, Integer::sum);
        }
        assertThat(r.status()).as("consume failed: %s", r).isEqualTo(204);
        return taken;
    }

    /** Ids published and not yet seen as a result or a dead letter. */
    int outstanding() {
        int n = 0;
        for (int id : published) {
            if (!results.containsKey(id) && !dead.containsKey(id)) {
                n++;
            }
        }
        return n;
    }

    /** Ids seen as results so far (distinct). */
    int distinctResults() {
        return results.size();
    }

    /**
     * Consumes until every published id came back, waits until nothing is pending or in flight, then takes what is
     * left so that late duplicates are counted too.
     */
    void drain(Duration timeout) {
        Await.await(label + ": every published id back", timeout, () -> {
            takeAvailable();
            return outstanding() == 0;
        });
        Await.awaitValue("nothing pending or in flight", Duration.ofSeconds(90), () -> api.status(pipeline),
            s -> s.path("backlog").asInt() == 0 && s.path("in_flight").asInt() == 0);
        // results whose consume ack was lost come back after the ack wait (30 s): take them too, as duplicates
        Await.awaitValue("no result or dead letter left", Duration.ofSeconds(90), () -> {
            takeAvailable();
            return api.status(pipeline);
        }, s -> s.path("output_waiting").asInt() == 0 && s.path("failed_waiting").asInt() == 0);
        takeAvailable();
    }

    int published() {
        return published.size();
    }

    int duplicates() {
        return resultCount - results.size() + deadCount - dead.size();
    }

    /** published = results + dead letters, nothing lost, nothing twice, nothing left in the pipeline. */
    void assertExactlyOnce() {
        var lost = new TreeSet<Integer>();
        for (int id : published) {
            if (!results.containsKey(id) && !dead.containsKey(id)) {
                lost.add(id);
            }
        }
        assertThat(lost).as(label + ": ids lost").isEmpty();
        assertThat(duplicates()).as(label + ": duplicates").isZero();
        assertThat(resultCount + deadCount).as(label + ": results + dead letters").isEqualTo(published.size());
        var s = api.status(pipeline);
        assertThat(s.path("backlog").asInt()).as("backlog").isZero();
        assertThat(s.path("in_flight").asInt()).as("in flight").isZero();
        assertThat(s.path("output_waiting").asInt()).as("results left").isZero();
        assertThat(s.path("failed_waiting").asInt()).as("dead letters left").isZero();
    }

    /** One line with the figures, for the lead to quote. */
    String report(int faults, Object timing) {
        var lost = published.size() - (int) published.stream()
            .filter(id -> results.containsKey(id) || dead.containsKey(id)).count();
        return String.format("%s: faults injected=%d, events published=%d, results=%d, dead letters=%d, lost=%d, "
                + "duplicates=%d, publish refusals retried=%s; %s", label, faults, published.size(), resultCount,
            deadCount, lost, duplicates(), refusals, timing);
    }

    /** Ids published so far, for tests that need them. */
    List<Integer> publishedIds() {
        return List.copyOf(published);
    }
}
