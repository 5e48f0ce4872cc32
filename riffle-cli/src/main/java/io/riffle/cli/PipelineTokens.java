package io.riffle.cli;

import io.riffle.client.PipelineData;
import io.riffle.client.RiffleClient;

/** The data plane of a pipeline with a given access token, or its first one fetched through the management API. */
final class PipelineTokens {
    private PipelineTokens() {
    }

    static PipelineData data(RiffleClient client, String pipelineId, String token) {
        if (token != null && !token.isBlank()) {
            return client.data(pipelineId, token);
        }
        var tokens = client.accessTokens().list(pipelineId);
        if (tokens.isEmpty()) {
            throw new CliException("pipeline " + pipelineId + " has no access token; give one with --pipeline-token");
        }
        return client.data(pipelineId, tokens.getFirst().token());
    }
}
