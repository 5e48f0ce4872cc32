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

    /** Every user, by email. */
    List<User> listUsers();

    /** Stores a new personal token; {@code tokenHash} is {@link Tokens#hash(String)} of the secret. */
    PersonalToken createPersonalToken(String userId, String name, String tokenHash, Instant expiresAt);

    /** The owner of a live token (not revoked, not expired at {@code now}). */
    Optional<User> userForPersonalToken(String tokenHash, Instant now);

    List<PersonalToken> personalTokens(String userId);

    /** @throws NotFoundException when the user has no such live token */
    void revokePersonalToken(String userId, String tokenId);

    /** The stored password hash of the user with this email; empty when there is no such user or no password. */
    Optional<String> passwordHash(String email);

    /** Replaces a user's password hash (null removes the password). @throws NotFoundException for an unknown user */
    void setPasswordHash(String userId, String passwordHash);

    /** The user who signs in through OIDC with this subject ({@code sub} claim). */
    Optional<User> findByOidcSubject(String subject);

    /**
     * Links an OIDC subject to an existing user.
     *
     * @throws ConflictException when the subject is linked to another user, or the user has another subject
     */
    void linkOidcSubject(String userId, String subject);

    /** Creates a non-admin user who signs in through OIDC. @throws ConflictException when the email is taken */
    User createOidcUser(String subject, String email, String name);

    /** Revokes every live personal token of a user (e.g. after a password change); returns how many. */
    int revokeAllPersonalTokens(String userId);
}
