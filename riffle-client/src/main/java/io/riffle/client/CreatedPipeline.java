package io.riffle.client;

import java.time.Instant;

/**
 * The answer to a create: the new pipeline's id and its first data-plane access token.
 *
 * @param functionStatus the build of version 1 ({@code building} at first)
 */
public record CreatedPipeline(String id, String name, String spaceId, String state, Instant createdAt,
                              String accessToken, String functionStatus) {
}
