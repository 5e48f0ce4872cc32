package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Riffle's REST API over {@link HttpClient}, as a GlassFlow client calls it: management calls with the admin's
 * personal access token, data-plane calls with a pipeline access token. Every call returns the raw
 * {@link Response}; the helpers on top assert only what they need to go on.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    static final String PAT = "Personal-Access-Token";
    static final String DATA_TOKEN = "X-PIPELINE-ACCESS-TOKEN";

    private final String base;
    private final String pat;

    Api(String base, String pat) {
        this.base = base;
        this.pat = pat;
    }

    /** Talks to {@code riffle} as its admin. */
    static Api of(RiffleProcess riffle) {
        return new Api(riffle.baseUrl(), riffle.adminToken());
    }

    /** A pipeline as its creator sees it: id and the default access token. */
    record Pipeline(String id, String token) {
        String path(String rest) {
            return "/v1/pipelines/" + id + rest;
        }
    }

    /** One HTTP answer. */
    record Response(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** Fails unless the status is {@code expected}; returns this for chaining. */
        Response expect(int expected) {
            assertThat(status).as("HTTP status; body: %s", body).isEqualTo(expected);
            return this;
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }

    // ---- raw calls

    Response send(String method, String path, Map<String, String> headers, BodyPublisher body) {
        var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(CALL_TIMEOUT).method(method, body);
        headers.forEach(b::header);
        try {
            var r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private Map<String, String> mgmt(boolean json) {
        var h = new LinkedHashMap<String, String>();
        h.put(PAT, pat);
        h.put("Accept", "application/json");
        if (json) {
            h.put("Content-Type", "application/json");
        }
        return h;
    }

    Response get(String path) {
        return send("GET", path, mgmt(false), BodyPublishers.noBody());
    }

    Response post(String path, Object body) {
        return send("POST", path, mgmt(true), BodyPublishers.ofString(text(body)));
    }

    /** A PATCH as GlassFlow's SDK sends it: the JSON body without any Content-Type header. */
    Response patch(String path, Object body) {
        return send("PATCH", path, mgmt(false), BodyPublishers.ofString(text(body)));
    }

    Response delete(String path) {
        return send("DELETE", path, mgmt(false), BodyPublishers.noBody());
    }

    /** A data-plane call with a pipeline access token ({@code token} null = no header). */
    Response data(String method, String path, String token, String body) {
        var h = new LinkedHashMap<String, String>();
        if (token != null) {
            h.put(DATA_TOKEN, token);
        }
        if (body != null) {
            h.put("Content-Type", "application/json");
        }
        return send(method, path, h, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    }

    /** {@code multipart/form-data} with the given parts (name → text), each sent with a file name when asked. */
    Response multipart(String path, Map<String, String> parts, String filePart) {
        var boundary = "----riffle-it-" + UUID.randomUUID();
        var sb = new StringBuilder();
        parts.forEach((name, value) -> {
            sb.append("--").append(boundary).append("\r\n");
            if (name.equals(filePart)) {
                sb.append("Content-Disposition: form-data; name=\"").append(name).append("\"; filename=\"")
                    .append(name).append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            } else {
                sb.append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n");
            }
            sb.append(value).append("\r\n");
        });
        sb.append("--").append(boundary).append("--\r\n");
        var h = mgmt(false);
        h.put("Content-Type", "multipart/form-data; boundary=" + boundary);
        return send("POST", path, h, BodyPublishers.ofString(sb.toString()));
    }

    static String text(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    // ---- management helpers

    String createSpace(String name) {
        return post("/v1/spaces", Map.of("name", name)).expect(200).json().path("id").asText();
    }

    /** Creates a pipeline with {@code source} as handler and any further CreatePipeline fields. */
    Pipeline createPipeline(String spaceId, String name, String source, Map<String, Object> extra) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", name);
        body.put("space_id", spaceId);
        body.put("transformation_function", source);
        body.putAll(extra);
        var r = post("/v1/pipelines", body).expect(200).json();
        return new Pipeline(r.path("id").asText(), r.path("access_token").asText());
    }

    JsonNode status(Pipeline p) {
        return get(p.path("/status")).expect(200).json();
    }

    /** Waits until the latest function version has {@code wanted} as its function_status; returns the status. */
    JsonNode awaitFunctionStatus(Pipeline p, String wanted, Duration timeout) {
        return Await.awaitValue("function_status " + wanted + " of pipeline " + p.id(), timeout, () -> status(p),
            s -> s.path("function_status").asText().equals(wanted)
                || (!wanted.equals("failed") && s.path("function_status").asText().equals("failed")));
    }

    /** Waits until the function is ready (failing fast, with the build error, when it failed). */
    JsonNode awaitReady(Pipeline p) {
        var s = awaitFunctionStatus(p, "ready", Duration.ofSeconds(120));
        assertThat(s.path("function_status").asText()).as("function status; error: %s", s.path("error"))
            .isEqualTo("ready");
        return s;
    }

    /** Sets the pipeline's state and waits until the engine runs {@code replicas} workers for it accordingly. */
    void setState(Pipeline p, String state) {
        patch(p.path(""), Map.of("state", state)).expect(200);
        if (state.equals("paused")) {
            Await.await("runners of " + p.id() + " to stop", Duration.ofSeconds(30),
                () -> status(p).path("replicas").asInt() == 0);
        }
    }

    // ---- data-plane helpers

    Response publish(Pipeline p, Object event) {
        return data("POST", p.path("/topics/input/events"), p.token(), text(event));
    }

    /** Publishes {@code events} (JSON texts) as one JSON array; asserts that every one was accepted. */
    void publishBatch(Pipeline p, List<String> events) {
        var r = data("POST", p.path("/topics/input/events/batch"), p.token(), "[" + String.join(",", events) + "]")
            .expect(200).json();
        assertThat(r.path("accepted").asInt()).as("accepted of %s: %s", events.size(), r.path("results"))
            .isEqualTo(events.size());
    }

    Response consume(Pipeline p) {
        return data("POST", p.path("/topics/output/events/consume"), p.token(), null);
    }

    Response consumeFailed(Pipeline p) {
        return data("POST", p.path("/topics/failed/events/consume"), p.token(), null);
    }

    /** Consumes results until {@code count} were taken; fails after {@code timeout}. */
    List<JsonNode> consumeResults(Pipeline p, int count, Duration timeout) {
        return take(p, count, timeout, false);
    }

    /** Consumes dead letters until {@code count} were taken; fails after {@code timeout}. */
    List<JsonNode> consumeFailures(Pipeline p, int count, Duration timeout) {
        return take(p, count, timeout, true);
    }

    private List<JsonNode> take(Pipeline p, int count, Duration timeout, boolean failed) {
        var out = new ArrayList<JsonNode>(count);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < count) {
            var r = failed ? consumeFailed(p) : consume(p);
            if (r.status() == 200) {
                assertThat(r.header("Content-Type")).startsWith("application/json");
                out.add(r.json());
                continue;
            }
            assertThat(r.status()).as("consume answered %s", r).isEqualTo(204);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("took " + out.size() + " of " + count + (failed ? " dead letters" : " results")
                    + " within " + timeout + "; status: " + status(p));
            }
            Await.sleep(Duration.ofMillis(100));
        }
        return out;
    }

    /** Asserts that every error answer has the JSON {@code detail} and {@code msg} GlassFlow clients read. */
    static void assertProblem(Response r, int status) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        assertThat(r.header("Content-Type")).as("content type of %s", r).startsWith("application/json");
        var json = r.json();
        assertThat(json.path("detail").isTextual()).as("detail in %s", r).isTrue();
        assertThat(json.path("msg").isTextual()).as("msg in %s", r).isTrue();
        assertThat(json.path("detail").asText()).isNotBlank();
    }
}
