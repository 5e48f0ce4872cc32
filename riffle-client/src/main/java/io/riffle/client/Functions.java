package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The function ({@code handler(data, log)}) of pipelines: source, versions, test runs and logs. Obtained from
 * {@link RiffleClient#functions()}; thread-safe.
 */
public final class Functions {
    private final Http http;

    Functions(Http http) {
        this.http = http;
    }

    /** The latest version's source and requirements. */
    public FunctionArtifact latest(String pipelineId) {
        return http.call("GET", base(pipelineId) + "/artifacts/latest", null, FunctionArtifact.class);
    }

    /**
     * Uploads a new version (multipart, as GlassFlow's SDK does); it is built, then activated when ready.
     *
     * @param source          the handler source, or null to keep the current one
     * @param requirementsTxt pip requirements, or null to keep the current ones
     * @throws RiffleClientException.TooEarly while the previous version still builds
     */
    public FunctionVersion upload(String pipelineId, String source, String requirementsTxt) {
        if (source == null && requirementsTxt == null) {
            throw new IllegalArgumentException("give a source, requirements or both");
        }
        var form = Multipart.create();
        if (source != null) {
            form.file("file", "handler.py", "text/x-python", source.getBytes(StandardCharsets.UTF_8));
        }
        if (requirementsTxt != null) {
            form.field("requirementsTxt", requirementsTxt);
        }
        var response = http.send("POST", base(pipelineId) + "/artifacts", form.body(), form.contentType(),
            Map.of("Authorization", "Bearer " + token()));
        return Http.read(response.body(), FunctionVersion.class);
    }

    /** Sets the function's environment (a new version). */
    public List<EnvVar> setEnvironment(String pipelineId, List<EnvVar> environments) {
        var root = http.call("PATCH", base(pipelineId), Map.of("environments", environments), JsonNode.class);
        return List.of(Http.JSON.convertValue(root.path("environments"), EnvVar[].class));
    }

    public FunctionVersions versions(String pipelineId) {
        return http.call("GET", base(pipelineId) + "/versions", null, FunctionVersions.class);
    }

    /**
     * Runs a ready version instead of the active one: a rollback, or a roll forward.
     *
     * @return the now active version
     * @throws RiffleClientException with status 409 when the version is not ready
     */
    public int activate(String pipelineId, int version) {
        var root = http.call("POST", base(pipelineId) + "/versions/" + version + "/activate", null, JsonNode.class);
        return root.path("active_version").asInt(version);
    }

    /** Runs the latest version on one sample event; nothing is published. */
    public ConsumedEvent test(String pipelineId, JsonNode event) {
        return http.call("POST", base(pipelineId) + "/test", event, ConsumedEvent.class);
    }

    /** One page of logs; follow a pipeline by querying again with {@link LogPage#next()}. */
    public LogPage logs(String pipelineId, LogQuery query) {
        var q = new StringBuilder("?page_size=").append(query.pageSize())
            .append("&severity_code=").append(query.severityCode());
        if (query.pageToken() != null) {
            q.append("&page_token=").append(Http.encode(query.pageToken()));
        }
        if (query.startTime() != null) {
            q.append("&start_time=").append(Http.encode(query.startTime().toString()));
        }
        if (query.endTime() != null) {
            q.append("&end_time=").append(Http.encode(query.endTime().toString()));
        }
        return http.call("GET", base(pipelineId) + "/logs" + q, null, LogPage.class);
    }

    private String token() {
        return http.token();
    }

    private static String base(String pipelineId) {
        return Pipelines.path(pipelineId) + "/functions/main";
    }
}
