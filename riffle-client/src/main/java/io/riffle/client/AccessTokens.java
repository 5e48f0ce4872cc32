package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Data-plane access tokens of pipelines. Obtained from {@link RiffleClient#accessTokens()}; thread-safe. */
public final class AccessTokens {
    private final Http http;

    AccessTokens(Http http) {
        this.http = http;
    }

    /** The pipeline's tokens, oldest first (GlassFlow clients use the first one). */
    public List<AccessToken> list(String pipelineId) {
        var root = http.call("GET", base(pipelineId), null, JsonNode.class);
        return List.of(Http.JSON.convertValue(root.path("access_tokens"), AccessToken[].class));
    }

    public AccessToken create(String pipelineId, String name) {
        return http.call("POST", base(pipelineId), Pipelines.named(name), AccessToken.class);
    }

    public AccessToken rename(String pipelineId, String tokenId, String name) {
        return http.call("PATCH", base(pipelineId) + "/" + Http.encode(tokenId), Pipelines.named(name),
            AccessToken.class);
    }

    /** @throws RiffleClientException with status 400 when it is the pipeline's last token */
    public void revoke(String pipelineId, String tokenId) {
        http.call("DELETE", base(pipelineId) + "/" + Http.encode(tokenId), null);
    }

    private static String base(String pipelineId) {
        return Pipelines.path(pipelineId) + "/access_tokens";
    }
}
