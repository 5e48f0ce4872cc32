package io.riffle.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Browser sessions (stored by the hash of their id) and OIDC sign-ins in flight. Thread-safe; every server of an
 * installation sees the same sessions, so a logout on one ends the session on all.
 */
public interface SessionStore {
    /**
     * Stores a new session.
     *
     * @throws NotFoundException for an unknown user
     */
    WebSession create(String idHash, String userId, String csrfToken, String via, Instant expiresAt);

    /**
     * The live session with this id hash and its user, marking it used at {@code now}: empty when unknown, revoked,
     * past its absolute expiry, or unused for longer than {@code idle}.
     */
    Optional<ActiveSession> touch(String idHash, Instant now, Duration idle);

    /** Ends one session; false when it was not live. */
    boolean revoke(String idHash);

    /** Ends every live session of a user (password reset); returns how many. */
    int revokeAll(String userId);

    /** Remembers an OIDC sign-in until its callback. */
    void savePending(PendingOidcLogin login);

    /**
     * Takes (and forgets, so that it works once) the sign-in with this state hash, if it started after
     * {@code notBefore}.
     */
    Optional<PendingOidcLogin> takePending(String stateHash, Instant notBefore);
}
