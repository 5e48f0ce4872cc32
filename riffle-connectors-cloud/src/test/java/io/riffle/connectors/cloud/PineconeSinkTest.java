package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The pinecone_json sink: result → vector mapping, and its HTTP client against a scripted server (no Pinecone can
 * run here): path, headers, body shape, 400 isolation, retries, probe field names.
 */
class PineconeSinkTest {
    private static final PineconeSinkFactory FACTORY = new PineconeSinkFactory();

    private static ConnectorConfig config(String url) {
        return Configs.sink("pinecone_json", new HashMap<>(Map.of("api_key", "pk-123", "api_host", url,
            "index_host", url, "api_source_tag", "My App", "client_headers",
            List.of(Map.of("name", "X-Team", "value", "search")))));
    }

    private static SinkRecord record(String id, String json) {
        return new SinkRecord(id, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String problem(String json) {
        return PineconeVectors.of(json.getBytes(StandardCharsets.UTF_8)).problem();
    }

    @Test
    void mapsOneVectorOrAListToPineconesUpsertShape() {
        var one = PineconeVectors.of(("{\"id\":\"a\",\"values\":[0.1,0.2],\"sparse_values\":{\"indices\":[3],"
            + "\"values\":[0.5]},\"metadata\":{\"genre\":\"x\"},\"namespace\":\"ns\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(one.problem()).isNull();
        assertThat(one.namespace()).isEqualTo("ns");
        assertThat(one.vectors().toString()).isEqualTo("[{\"id\":\"a\",\"values\":[0.1,0.2],\"sparseValues\":"
            + "{\"indices\":[3],\"values\":[0.5]},\"metadata\":{\"genre\":\"x\"}}]");
        var many = PineconeVectors.of("{\"vectors\":[{\"id\":\"a\",\"values\":[1]},{\"id\":\"b\",\"values\":[2]}]}"
            .getBytes(StandardCharsets.UTF_8));
        assertThat(many.vectors()).hasSize(2);
        assertThat(many.namespace()).isEmpty();
    }

    @Test
    void refusesMalformedVectorsWithTheReason() {
        assertThat(problem("[1]")).contains("JSON object");
        assertThat(problem("{\"values\":[1]}")).contains("id");
        assertThat(problem("{\"id\":\"a\"}")).contains("values or sparse_values");
        assertThat(problem("{\"id\":\"a\",\"values\":[\"x\"]}")).contains("list of numbers");
        assertThat(problem("{\"id\":\"a\",\"sparse_values\":{\"indices\":[1,2],\"values\":[1]}}")).contains("equal");
        assertThat(problem("{\"vectors\":[{\"id\":\"a\",\"values\":[1]},{\"id\":\"\"}]}")).startsWith("vectors[1]");
        assertThat(problem("{\"id\":\"a\",\"values\":[1],\"metadata\":[1]}")).contains("metadata");
    }

    @Test
    void upsertsWithTheDocumentedHeadersAndIsolatesVectorsPineconeRefuses() throws Exception {
        try (var server = new FakeHttp(r -> r.body().contains("\"bad\"")
            ? new FakeHttp.Reply(400, "{\"code\":3,\"message\":\"Vector dimension 1 does not match 2\"}")
            : new FakeHttp.Reply(200, "{\"upsertedCount\":1}"));
             var sink = FACTORY.openSink(config(server.url()))) {
            var rejected = sink.write(List.of(record("p:1", "{\"id\":\"a\",\"values\":[1,2]}"),
                record("p:2", "{\"id\":\"bad\",\"values\":[1]}"),
                record("p:3", "{\"id\":\"c\",\"values\":[3,4],\"namespace\":\"other\"}"),
                record("p:4", "{\"id\":\"d\",\"values\":[5,6]}")));
            assertThat(rejected).singleElement().satisfies(r -> {
                assertThat(r.record().id()).isEqualTo("p:2");
                assertThat(r.reason()).contains("HTTP 400").contains("dimension");
            });
            var upserts = server.requests("/vectors/upsert");
            var first = upserts.getFirst();
            assertThat(first.method()).isEqualTo("POST");
            assertThat(first.header("Api-Key")).isEqualTo("pk-123");
            assertThat(first.header("X-Pinecone-API-Version")).isEqualTo(PineconeSinkFactory.API_VERSION);
            assertThat(first.header("User-Agent")).isEqualTo("riffle; source_tag=my_app");
            assertThat(first.header("X-Team")).isEqualTo("search");
            assertThat(upserts).extracting(FakeHttp.Request::body).contains(
                "{\"vectors\":[{\"id\":\"a\",\"values\":[1,2]}]}",
                "{\"vectors\":[{\"id\":\"d\",\"values\":[5,6]}]}",
                "{\"vectors\":[{\"id\":\"c\",\"values\":[3,4]}],\"namespace\":\"other\"}");
        }
    }

    @Test
    void unavailableOrRefusedKeyRetriesTheBatch() throws Exception {
        var status = new AtomicInteger(503);
        try (var server = new FakeHttp(r -> new FakeHttp.Reply(status.get(), "{}"));
             var sink = FACTORY.openSink(config(server.url()))) {
            var batch = List.of(record("p:1", "{\"id\":\"a\",\"values\":[1]}"));
            assertThatThrownBy(() -> sink.write(batch)).hasMessageContaining("HTTP 503");
            status.set(401);
            assertThatThrownBy(() -> sink.write(batch)).hasMessageContaining("HTTP 401");
            status.set(200);
            assertThat(sink.write(batch)).isEmpty();
        }
    }

    @Test
    void probeAndValidationNameTheField() {
        try (var server = new FakeHttp(r -> new FakeHttp.Reply(401, "{}"))) {
            assertThatThrownBy(() -> FACTORY.probe(config(server.url()))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sink_connector.config.api_key");
        }
        try (var server = new FakeHttp(r -> new FakeHttp.Reply(r.path().equals("/indexes") ? 200 : 404, "{}"))) {
            assertThatThrownBy(() -> FACTORY.probe(config(server.url())))
                .hasMessageContaining("sink_connector.config.index_host");
        }
        assertThatThrownBy(() -> FACTORY.probe(config("http://127.0.0.1:1")))
            .hasMessageContaining("sink_connector.config.api_host");
        var bad = new HashMap<String, Object>(Map.of("api_key", "k", "api_host", "api.pinecone.io",
            "index_host", "idx.svc.pinecone.io", "client_headers", List.of(Map.of("name", "Host", "value", "x"))));
        assertThatThrownBy(() -> FACTORY.validate(Configs.sink("pinecone_json", bad)))
            .hasMessageContaining("sink_connector.config.client_headers").hasMessageContaining("Host");
        bad.remove("client_headers");
        bad.remove("index_host");
        assertThatThrownBy(() -> FACTORY.validate(Configs.sink("pinecone_json", bad)))
            .hasMessage("sink_connector.config.index_host: is required");
        bad.put("index_host", "idx.svc.pinecone.io");
        assertThat(PineconeSinkFactory.settings(Configs.sink("pinecone_json", bad)).indexHost())
            .hasToString("https://idx.svc.pinecone.io");
    }
}
