package io.riffle.connectors.basic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Direction;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.RiffleException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook sink against a real HTTP server of the JDK. */
class WebhookSinkTest {
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            var body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("X-Riffle-Event-Id") + " "
                + ex.getRequestHeaders().getFirst("X-Riffle-Signature") + " "
                + ex.getRequestHeaders().getFirst("X-Team") + " " + body);
            var answer = "{\"error\":\"bad field\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private WebhookSink sink(String extra) throws Exception {
        var node = new ObjectMapper().readTree(("{'kind':'webhook','config':{'url':'http://127.0.0.1:"
            + server.getAddress().getPort() + "/hook','method':'" + (extra.contains("timeout_ms") ? "POST" : "PUT")
            + "','headers':[{'name':'X-Team','value':'t1'}]"
            + extra + "}}").replace('\'', '"'));
        return (WebhookSink) new WebhookSinkFactory().openSink(ConnectorConfig.of(Direction.SINK, node, k -> "key"));
    }

    private static SinkRecord record(String id, String json) {
        return new SinkRecord(id, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sendsEachResultWithItsIdHeadersAndSignature() throws Exception {
        try (var sink = sink(",'hmac_secret':{'secret_ref':{'type':'organization','key':'K'}}")) {
            assertThat(sink.write(List.of(record("p:1", "{\"a\":1}"), record("p:2", "{\"a\":2}")))).isEmpty();
        }
        var sig = WebhookSink.sign("key", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(WebhookSink.sign("key", "The quick brown fox jumps over the lazy dog".getBytes(
            StandardCharsets.UTF_8))).isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
        assertThat(seen).containsExactly("PUT p:1 sha256=" + sig + " t1 {\"a\":1}",
            "PUT p:2 sha256=" + WebhookSink.sign("key", "{\"a\":2}".getBytes(StandardCharsets.UTF_8)) + " t1 {\"a\":2}");
    }

    @Test
    void clientErrorsAreRejectionsWithStatusAndBody() throws Exception {
        status.set(422);
        try (var sink = sink("")) {
            var rejected = sink.write(List.of(record("p:7", "{}")));
            assertThat(rejected).singleElement().satisfies(r -> {
                assertThat(r.record().id()).isEqualTo("p:7");
                assertThat(r.reason()).endsWith("/hook answered 422: {\"error\":\"bad field\"}");
            });
        }
    }

    @Test
    void serverErrorsThrottlingAndDeadPortsFailTheBatch() throws Exception {
        for (int code : new int[] {503, 500, 429, 408}) {
            status.set(code);
            try (var sink = sink("")) {
                assertThatThrownBy(() -> sink.write(List.of(record("p:1", "{}")))).isInstanceOf(RiffleException.class)
                    .hasMessageContaining("answered " + code);
            }
        }
        server.stop(0);
        try (var sink = sink(",'timeout_ms':500")) {
            assertThatThrownBy(() -> sink.write(List.of(record("p:1", "{}"))))
                .isInstanceOf(io.riffle.core.UnavailableException.class)
                .hasMessageStartingWith("POST http://127.0.0.1:" + server.getAddress().getPort() + "/hook failed: ")
                .hasMessageContaining("ConnectException");
        }
    }
}
