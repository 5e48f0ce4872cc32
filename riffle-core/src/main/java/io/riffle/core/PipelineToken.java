package io.riffle.core;

import java.time.Instant;

/** A pipeline access token for the data plane (publish, consume). {@code token} is the plaintext, decrypted. */
public record PipelineToken(String id, String pipelineId, String name, String token, Instant createdAt) {
}
