package io.riffle.client;

import java.time.Instant;

/**
 * A space: a group of pipelines with members.
 *
 * @param permission the caller's role in it ({@code owner}, {@code editor}, {@code viewer}); null in a create answer
 */
public record Space(String id, String name, Instant createdAt, String permission) {
}
