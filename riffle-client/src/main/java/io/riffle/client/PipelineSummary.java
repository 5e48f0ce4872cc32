package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A pipeline as listed (GlassFlow's {@code SpacePipeline}). {@code state} is {@code running} or {@code paused}. */
public record PipelineSummary(String id, String name, String spaceId, String spaceName, String state,
                              Instant createdAt, JsonNode metadata) {
}
