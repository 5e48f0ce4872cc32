package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * End-to-end fixture for connector tests: one real {@code riffle up} (the fat jar, embedded PostgreSQL and NATS, a
 * fresh data dir), a space, and helpers to create pipelines with given connectors, read and wait for their connector
 * status, list dead letters, and kill or restart Riffle. One per test class:
 *
 * <pre>{@code
 * static ConnectorHarness h = ConnectorHarness.start("kafka");
 * var p = h.create("orders", ConnectorHarness.IDENTITY, ConnectorHarness.connector("kafka", Map.of(...)), null);
 * h.awaitConnector(p, "source", "running");
 * h.killAndRestart();
 * }</pre>
 */
final class ConnectorHarness implements AutoCloseable {
    /** A handler that returns each event unchanged. */
    static final String IDENTITY = "def handler(data, log):\n    return data\n";
    static final Duration STATE_TIMEOUT = Duration.ofSeconds(90);
    private final RiffleProcess riffle;
    private final Api api;
    private final String space;

    private ConnectorHarness(RiffleProcess riffle, String spaceName) {
        this.riffle = riffle;
        this.api = Api.of(riffle);
        this.space = api.createSpace(spaceName);
    }

    /** Starts {@code riffle up} on embedded defaults with {@code extraEnv}, and creates a space named {@code name}. */
    static ConnectorHarness start(String name, Map<String, String> extraEnv) {
        return new ConnectorHarness(RiffleProcess.embedded(extraEnv).start(), name);
    }

    static ConnectorHarness start(String name) {
        return start(name, Map.of());
    }

    RiffleProcess riffle() {
        return riffle;
    }

    Api api() {
        return api;
    }

    String space() {
        return space;
    }

    /** {@code {"kind": kind, "config": config}}. */
    static Map<String, Object> connector(String kind, Map<String, ?> config) {
        var m = new LinkedHashMap<String, Object>();
        m.put("kind", kind);
        m.put("config", config);
        return m;
    }

    /** {@code {"secret_ref": {"type": "organization", "key": key}}}, for a config field. */
    static Map<String, Object> secretRef(String key) {
        return Map.of("secret_ref", Map.of("type", "organization", "key", key));
    }

    /** Stores a secret ({@code POST /v1/secrets}). */
    void secret(String key, String value) {
        var r = api.post("/v1/secrets", Map.of("key", key, "value", value));
        assertThat(r.status()).as("create secret: %s", r).isIn(200, 201);
    }

    /** {@code POST /v1/pipelines} with the given connectors (null: the REST side), as sent: for refused configs. */
    Api.Response tryCreate(String name, String handler, Object source, Object sink) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", name);
        body.put("space_id", space);
        body.put("transformation_function", handler);
        if (source != null) {
            body.put("source_connector", source);
        }
        if (sink != null) {
            body.put("sink_connector", sink);
        }
        return api.post("/v1/pipelines", body);
    }

    /** Creates a pipeline with the given connectors and waits until its function is ready. */
    Api.Pipeline create(String name, String handler, Object source, Object sink) {
        var r = tryCreate(name, handler, source, sink).expect(200).json();
        var p = new Api.Pipeline(r.path("id").asText(), r.path("access_token").asText());
        api.awaitReady(p);
        return p;
    }

    /** {@code connectors} of {@code GET /v1/pipelines/{id}}: {@code {source: {...}, sink: {...}}}. */
    JsonNode connectors(Api.Pipeline p) {
        return api.get(p.path("")).expect(200).json().path("connectors");
    }

    /** Waits until the connector's status passes {@code done}; returns it. */
    JsonNode awaitConnector(Api.Pipeline p, String direction, Predicate<JsonNode> done, String what) {
        return Await.awaitValue(direction + " connector of " + p.id() + ": " + what, STATE_TIMEOUT,
            () -> connectors(p).path(direction), done);
    }

    /** Waits until the connector reports {@code state} ({@code running}, {@code retrying}, {@code stopped}). */
    JsonNode awaitConnector(Api.Pipeline p, String direction, String state) {
        return awaitConnector(p, direction, s -> s.path("state").asText().equals(state), "state " + state);
    }

    /** Every dead letter of the pipeline, without taking them ({@code GET .../dead_letters}). */
    List<JsonNode> deadLetters(Api.Pipeline p) {
        var out = new ArrayList<JsonNode>();
        long after = 0;
        while (true) {
            var page = api.get(p.path("/dead_letters?limit=1000&after=" + after)).expect(200).json();
            page.path("dead_letters").forEach(out::add);
            if (page.path("count").asInt() == 0) {
                return out;
            }
            after = page.path("next_after").asLong();
        }
    }

    /** SIGKILL of Riffle, then a start on the same data dir (a crash and a restart). */
    void killAndRestart() {
        riffle.kill();
        riffle.start();
    }

    /** A clean stop (SIGTERM) and a start on the same data dir. */
    void restart() {
        riffle.stop();
        riffle.start();
    }

    @Override
    public void close() {
        riffle.close();
    }
}
