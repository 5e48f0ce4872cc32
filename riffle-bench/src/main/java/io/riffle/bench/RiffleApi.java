package io.riffle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The management and data calls the benchmarks make, over {@code java.net.http} (HTTP/1.1 keep-alive). */
final class RiffleApi {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String adminToken;
    private String spaceId;

    /** A pipeline as the bench uses it. */
    record PipelineRef(String id, String token) {
    }

    RiffleApi(String baseUrl, String adminToken) {
        this.base = baseUrl;
        this.adminToken = adminToken;
    }

    String baseUrl() {
        return base;
    }

    /**
     * Creates a pipeline in the bench's space.
     *
     * @param settings Riffle's {@code settings} object (replicas, batch_size, ...); may be empty
     */
    PipelineRef createPipeline(String name, String source, boolean running, Map<String, Object> settings) {
        var body = JSON.createObjectNode().put("name", name).put("space_id", space())
            .put("transformation_function", source).put("state", running ? "running" : "paused");
        body.set("settings", JSON.valueToTree(settings));
        var r = manage("POST", "/v1/pipelines", body);
        return new PipelineRef(r.get("id").asText(), r.get("access_token").asText());
    }

    void setRunning(String pipelineId, boolean running) {
        manage("PATCH", "/v1/pipelines/" + pipelineId,
            JSON.createObjectNode().put("state", running ? "running" : "paused"));
    }

    void deletePipeline(String pipelineId) {
        manage("DELETE", "/v1/pipelines/" + pipelineId, null);
    }

    /** {@code GET /v1/pipelines/{id}/status}. */
    JsonNode status(String pipelineId) {
        return manage("GET", "/v1/pipelines/" + pipelineId + "/status", null);
    }

    /** The value of a Prometheus series of {@code /metrics} tagged with the pipeline; NaN when absent. */
    double metric(String series, String pipelineId) {
        var r = send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build());
        return PrometheusText.value(r.body(), series, "pipeline=\"" + pipelineId + "\"");
    }

    /** GlassFlow's single-event publish; returns the HTTP status. */
    int publish(PipelineRef p, byte[] event) {
        var req = HttpRequest.newBuilder(URI.create(base + "/v1/pipelines/" + p.id() + "/topics/input/events"))
            .header("X-PIPELINE-ACCESS-TOKEN", p.token()).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build();
        return send(req).statusCode();
    }

    /** Riffle's batch publish; returns the number of accepted events. */
    int publishBatch(PipelineRef p, byte[] body, String contentType) {
        var req = HttpRequest.newBuilder(URI.create(base + "/v1/pipelines/" + p.id() + "/topics/input/events/batch"))
            .header("X-PIPELINE-ACCESS-TOKEN", p.token()).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        var r = send(req);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("batch publish answered " + r.statusCode() + ": " + r.body());
        }
        return read(r.body()).get("accepted").asInt();
    }

    private String space() {
        if (spaceId == null) {
            spaceId = manage("POST", "/v1/spaces", JSON.createObjectNode().put("name", "bench")).get("id").asText();
        }
        return spaceId;
    }

    private JsonNode manage(String method, String path, ObjectNode body) {
        var b = HttpRequest.newBuilder(URI.create(base + path)).header("Personal-Access-Token", adminToken)
            .timeout(Duration.ofSeconds(60));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        var r = send(b.build());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? JSON.createObjectNode() : read(r.body());
    }

    private HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(req.method() + " " + req.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }
}
