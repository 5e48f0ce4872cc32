package io.riffle.core;

import java.util.List;
import java.util.Optional;

/** Pipeline access tokens: encrypted at rest (they are shown again in listings), looked up by hash. Thread-safe. */
public interface TokenStore {
    /** Generates, stores and returns a new token for the pipeline. */
    PipelineToken createPipelineToken(String pipelineId, String name);

    /** Live (not revoked) tokens of the pipeline, oldest first, with their plaintext. */
    List<PipelineToken> pipelineTokens(String pipelineId);

    /** The pipeline id the live token belongs to, if any. */
    Optional<String> pipelineForToken(String token);

    /** @throws NotFoundException when the pipeline has no such live token */
    PipelineToken renamePipelineToken(String pipelineId, String tokenId, String name);

    /** @throws NotFoundException when the pipeline has no such live token */
    void revokePipelineToken(String pipelineId, String tokenId);
}
