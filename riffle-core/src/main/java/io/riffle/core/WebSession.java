package io.riffle.core;

import java.time.Instant;

/**
 * A browser session as stored: the SHA-256 of its random id (never the id itself), the CSRF token the web app
 * echoes in a header, and its two deadlines.
 *
 * @param idHash     {@link Tokens#hash(String)} of the cookie value
 * @param via        how it was opened: {@code password}, {@code token} or {@code oidc}
 * @param lastSeenAt the last use (within a minute): the session ends when it idles longer than the idle limit
 * @param expiresAt  the absolute end, whatever the use
 */
public record WebSession(String idHash, String userId, String csrfToken, String via, Instant createdAt,
                         Instant lastSeenAt, Instant expiresAt) {
}
