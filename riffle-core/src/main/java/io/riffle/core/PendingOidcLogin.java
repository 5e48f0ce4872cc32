package io.riffle.core;

import java.time.Instant;

/**
 * A browser sign-in sent to the OIDC provider and not back yet: what the callback checks the answer against.
 *
 * @param stateHash    {@link Tokens#hash(String)} of the {@code state} parameter
 * @param nonce        the {@code nonce} the ID token must carry
 * @param codeVerifier the PKCE verifier whose S256 challenge went to the provider
 */
public record PendingOidcLogin(String stateHash, String nonce, String codeVerifier, Instant createdAt) {
}
