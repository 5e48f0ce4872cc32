package io.riffle.server;

import io.riffle.core.InvalidInputException;
import java.net.URI;
import java.time.Duration;

/**
 * Settings of authentication and limits.
 *
 * @param rateLimitPerSecond data-plane calls a second per pipeline access token ({@code RIFFLE_RATE_LIMIT_PER_SECOND};
 *                           0 = no limit)
 * @param rateLimitBurst     calls a token may save up ({@code RIFFLE_RATE_LIMIT_BURST})
 * @param oidcIssuer         the OIDC issuer URL ({@code RIFFLE_OIDC_ISSUER}), exactly as in its tokens' {@code iss};
 *                           null = no OIDC
 * @param oidcAudience       the {@code aud} Riffle's access tokens must carry ({@code RIFFLE_OIDC_AUDIENCE})
 * @param loginTokenTtl      lifetime of the personal access token a password login returns
 * @param sessions           lifetimes of browser sessions
 * @param oidcLogin          the web app's and the CLI's OIDC clients (need {@code oidcIssuer})
 */
public record IdentityConfig(double rateLimitPerSecond, int rateLimitBurst, String oidcIssuer, String oidcAudience,
                             Duration loginTokenTtl, SessionConfig sessions, OidcLoginConfig oidcLogin) {
    public static final double DEFAULT_RATE_LIMIT_PER_SECOND = 50_000;
    public static final int DEFAULT_RATE_LIMIT_BURST = 100_000;
    public static final Duration DEFAULT_LOGIN_TOKEN_TTL = Duration.ofDays(30);
    public static final IdentityConfig DEFAULTS = new IdentityConfig(DEFAULT_RATE_LIMIT_PER_SECOND,
        DEFAULT_RATE_LIMIT_BURST, null, null, DEFAULT_LOGIN_TOKEN_TTL);

    /** Without browser-session and OIDC-client settings (their defaults). */
    public IdentityConfig(double rateLimitPerSecond, int rateLimitBurst, String oidcIssuer, String oidcAudience,
                          Duration loginTokenTtl) {
        this(rateLimitPerSecond, rateLimitBurst, oidcIssuer, oidcAudience, loginTokenTtl, SessionConfig.DEFAULTS,
            OidcLoginConfig.NONE);
    }

    public IdentityConfig {
        if (rateLimitPerSecond < 0) {
            throw new InvalidInputException("RIFFLE_RATE_LIMIT_PER_SECOND must be 0 (off) or more; got "
                + rateLimitPerSecond);
        }
        if (rateLimitBurst < 1) {
            throw new InvalidInputException("RIFFLE_RATE_LIMIT_BURST must be 1 or more; got " + rateLimitBurst);
        }
        if (oidcIssuer != null) {
            var uri = URI.create(oidcIssuer);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new InvalidInputException("RIFFLE_OIDC_ISSUER must be an https (or http) URL; got '" + oidcIssuer + "'");
            }
            if (oidcAudience == null || oidcAudience.isBlank()) {
                throw new InvalidInputException("RIFFLE_OIDC_AUDIENCE is required with RIFFLE_OIDC_ISSUER (the API "
                    + "identifier, e.g. Auth0's API audience)");
            }
        }
        if (loginTokenTtl == null || loginTokenTtl.isNegative() || loginTokenTtl.isZero()) {
            throw new InvalidInputException("login token lifetime must be positive; got " + loginTokenTtl);
        }
        if (sessions == null || oidcLogin == null) {
            throw new InvalidInputException("session and OIDC client settings are required");
        }
        if (oidcIssuer == null && (oidcLogin.web() || oidcLogin.cli())) {
            throw new InvalidInputException("RIFFLE_OIDC_CLIENT_ID and RIFFLE_OIDC_CLI_CLIENT_ID need "
                + "RIFFLE_OIDC_ISSUER");
        }
    }

    public boolean oidc() {
        return oidcIssuer != null;
    }
}
