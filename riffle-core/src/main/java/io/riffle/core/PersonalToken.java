package io.riffle.core;

import java.time.Instant;

/** A personal access token as stored: never the secret itself, only its hash. {@code expiresAt} may be null. */
public record PersonalToken(String id, String userId, String name, Instant createdAt, Instant expiresAt) {
}
