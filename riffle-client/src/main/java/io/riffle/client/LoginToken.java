package io.riffle.client;

import java.time.Instant;

/**
 * The personal access token a password login returns. {@link #token()} is the secret: the server shows it in this
 * answer only. {@link #toString()} leaves it out.
 *
 * @param id        the token's id, for revoking it
 * @param name      {@code login <time>}
 * @param expiresAt when the token stops working (30 days by default)
 */
public record LoginToken(String id, String name, String token, Instant createdAt, Instant expiresAt) {
    @Override
    public String toString() {
        return "LoginToken[id=" + id + ", name=" + name + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt + "]";
    }
}
