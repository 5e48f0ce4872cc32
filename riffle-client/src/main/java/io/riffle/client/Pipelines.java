package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Pipelines: create, read, update, pause, delete. Obtained from {@link RiffleClient#pipelines()}; thread-safe. */
public final class Pipelines {
    private final Http http;

    Pipelines(Http http) {
        this.http = http;
    }

    /** Pipelines of the given spaces, or of every space the caller sees when none is given. */
    public List<PipelineSummary> list(String... spaceIds) {
        var query = spaceIds.length == 0 ? "" : "?" + java.util.Arrays.stream(spaceIds)
            .map(id -> "space_id=" + Http.encode(id)).collect(Collectors.joining("&"));
        var root = http.call("GET", "pipelines" + query, null, JsonNode.class);
        return List.of(Http.JSON.convertValue(root.path("pipelines"), PipelineSummary[].class));
    }

    /** @throws RiffleClientException.NotFound when there is no such pipeline (or the caller may not see it) */
    public PipelineDetails get(String pipelineId) {
        return http.call("GET", path(pipelineId), null, PipelineDetails.class);
    }

    /** Creates the pipeline and starts building its function (version 1). */
    public CreatedPipeline create(NewPipeline pipeline) {
        return http.call("POST", "pipelines", pipeline, CreatedPipeline.class);
    }

    /**
     * Changes what {@code update} sets.
     *
     * @throws RiffleClientException.TooEarly when a code change arrives while the previous version still builds
     */
    public PipelineDetails update(String pipelineId, PipelineUpdate update) {
        return http.call("PATCH", path(pipelineId), update, PipelineDetails.class);
    }

    /** Deletes the pipeline with its streams, versions and tokens. */
    public void delete(String pipelineId) {
        http.call("DELETE", path(pipelineId), null);
    }

    /** Stops processing; published events wait in the input stream. */
    public PipelineDetails pause(String pipelineId) {
        return update(pipelineId, PipelineUpdate.NONE.withState("paused"));
    }

    public PipelineDetails resume(String pipelineId) {
        return update(pipelineId, PipelineUpdate.NONE.withState("running"));
    }

    public PipelineStatus status(String pipelineId) {
        return http.call("GET", path(pipelineId) + "/status", null, PipelineStatus.class);
    }

    /**
     * The pipeline's history, newest first ({@code GET /pipelines/{id}/history}): versions, builds and scale
     * decisions, as JSON ({@code {events: [{at, kind, message, ...}]}}).
     */
    public JsonNode history(String pipelineId, int limit) {
        return http.call("GET", path(pipelineId) + "/history?limit=" + limit, null, JsonNode.class);
    }

    /** The autoscaler's recent decisions ({@code GET /pipelines/{id}/scaling}) as JSON. */
    public JsonNode scaling(String pipelineId) {
        return http.call("GET", path(pipelineId) + "/scaling", null, JsonNode.class);
    }

    /** The raw JSON of {@code GET /pipelines/{id}}, for tools that show every field. */
    public JsonNode getJson(String pipelineId) {
        return http.call("GET", path(pipelineId), null, JsonNode.class);
    }

    static String path(String pipelineId) {
        return "pipelines/" + Http.encode(pipelineId);
    }

    static Map<String, String> named(String name) {
        return Map.of("name", name);
    }
}
