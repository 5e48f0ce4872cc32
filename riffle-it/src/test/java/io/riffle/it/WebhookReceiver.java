package io.riffle.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * A real HTTP server (the JDK's) that receives a webhook sink's requests and counts them: every request, and
 * distinct events by {@code X-Riffle-Event-Id}. {@link #answer} decides each status code (200 by default).
 */
final class WebhookReceiver implements AutoCloseable {
    /** One received request. */
    record Received(String eventId, String signature, String method, JsonNode body, String raw) {
    }

    private final HttpServer server;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Received> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile ToIntFunction<Received> answer = r -> 200;

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            var body = ex.getRequestBody().readAllBytes();
            JsonNode json;
            try {
                json = Api.JSON.readTree(body);
            } catch (IOException e) {
                json = Api.JSON.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
            }
            var r = new Received(ex.getRequestHeaders().getFirst("X-Riffle-Event-Id"),
                ex.getRequestHeaders().getFirst("X-Riffle-Signature"), ex.getRequestMethod(), json,
                new String(body, StandardCharsets.UTF_8));
            requests.add(r);
            int status = answer.applyAsInt(r);
            if (status >= 200 && status < 300) {
                accepted.putIfAbsent(r.eventId() == null ? "null-" + requests.size() : r.eventId(), r);
            }
            var out = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            answered.incrementAndGet();
        }
    }

    /** {@code http://127.0.0.1:PORT/hook}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Decides the status of each request from now on. */
    void answer(ToIntFunction<Received> decide) {
        this.answer = decide;
    }

    /** Every request received, in order (retries included). */
    List<Received> requests() {
        return List.copyOf(requests);
    }

    /** Requests answered with 2xx, one per distinct event id. */
    Map<String, Received> accepted() {
        return Map.copyOf(accepted);
    }

    /** The integer field {@code field} of every accepted event's body. */
    Set<Integer> acceptedValues(String field) {
        var out = new java.util.TreeSet<Integer>();
        accepted.values().forEach(r -> out.add(r.body().path(field).asInt(-1)));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
