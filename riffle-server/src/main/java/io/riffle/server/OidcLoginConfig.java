package io.riffle.server;

import io.riffle.core.InvalidInputException;
import java.net.URI;

/**
 * The OIDC clients Riffle signs people in with: the web app's (authorization code with PKCE) and the CLI's (device
 * authorization grant). Either may be absent (null).
 *
 * @param clientId     the web app's client id at the provider ({@code RIFFLE_OIDC_CLIENT_ID}); null = no browser
 *                     sign-in through the provider
 * @param clientSecret its secret ({@code RIFFLE_OIDC_CLIENT_SECRET}), sent as {@code client_secret_post}; null for a
 *                     public client
 * @param redirectUrl  the callback URL registered at the provider ({@code RIFFLE_OIDC_REDIRECT_URL}), ending in
 *                     {@code /v1/auth/oidc/callback}
 * @param cliClientId  the CLI's client id ({@code RIFFLE_OIDC_CLI_CLIENT_ID}), a native app with the device code
 *                     grant; null = no {@code riffle login --oidc}
 * @param scopes       the scopes asked for ({@code RIFFLE_OIDC_SCOPES})
 */
public record OidcLoginConfig(String clientId, String clientSecret, String redirectUrl, String cliClientId,
                              String scopes) {
    public static final String DEFAULT_SCOPES = "openid profile email";
    public static final String CALLBACK_PATH = "/v1/auth/oidc/callback";
    public static final OidcLoginConfig NONE = new OidcLoginConfig(null, null, null, null, DEFAULT_SCOPES);

    public OidcLoginConfig {
        if (clientId != null) {
            if (redirectUrl == null) {
                throw new InvalidInputException("RIFFLE_OIDC_REDIRECT_URL is required with RIFFLE_OIDC_CLIENT_ID: the "
                    + "callback registered at the provider, e.g. https://riffle.example.com" + CALLBACK_PATH);
            }
            var uri = URI.create(redirectUrl);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                || !CALLBACK_PATH.equals(uri.getPath())) {
                throw new InvalidInputException("RIFFLE_OIDC_REDIRECT_URL must be an http(s) URL ending in "
                    + CALLBACK_PATH + "; got '" + redirectUrl + "'");
            }
        }
        if (scopes == null || !(" " + scopes + " ").contains(" openid ")) {
            throw new InvalidInputException("RIFFLE_OIDC_SCOPES must include openid; got '" + scopes + "'");
        }
    }

    /** Never shows the client secret. */
    @Override
    public String toString() {
        return "OidcLoginConfig[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "none" : "(set)")
            + ", redirectUrl=" + redirectUrl + ", cliClientId=" + cliClientId + ", scopes=" + scopes + "]";
    }

    /** True when the web app signs in through the provider. */
    public boolean web() {
        return clientId != null;
    }

    /** True when the CLI signs in with the device flow. */
    public boolean cli() {
        return cliClientId != null;
    }
}
