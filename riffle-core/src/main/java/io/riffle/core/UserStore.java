package io.riffle.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Users and their personal access tokens (stored as hashes only). Thread-safe. */
public interface UserStore {
    /**
     * @param passwordHash KDF output, or null for users who sign in only through OIDC or tokens
     * @throws ConflictException when the email is taken
     */
    User createUser(String email, String name, boolean admin, String passwordHash);

    Optional<User> findUser(String userId);

    Optional<User> findByEmail(String email);

    long countUsers();

    /** Stores a new personal token; {@code tokenHash} is {@link Tokens#hash(String)} of the secret. */
    PersonalToken createPersonalToken(String userId, String name, String tokenHash, Instant expiresAt);

    /** The owner of a live token (not revoked, not expired at {@code now}). */
    Optional<User> userForPersonalToken(String tokenHash, Instant now);

    List<PersonalToken> personalTokens(String userId);

    /** @throws NotFoundException when the user has no such live token */
    void revokePersonalToken(String userId, String tokenId);
}
