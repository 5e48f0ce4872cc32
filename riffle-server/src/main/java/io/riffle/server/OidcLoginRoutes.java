package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.core.PendingOidcLogin;
import io.riffle.core.RiffleException;
import io.riffle.core.Tokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser sign-in through the OIDC provider, authorization code flow with PKCE: {@code GET /v1/auth/oidc/login}
 * sends the browser to the provider with a random {@code state} (also in a short-lived HttpOnly cookie, binding the
 * sign-in to this browser), a {@code nonce} and an S256 {@code code_challenge}; {@code GET /v1/auth/oidc/callback}
 * checks the state (once), exchanges the code with the verifier, verifies the ID token, finds or creates the user,
 * opens a session and sends the browser to the app. A failed sign-in goes back to the app's sign-in page with the
 * reason in {@code #/login?error=...}, and never opens a session.
 */
final class OidcLoginRoutes {
    static final String STATE_COOKIE = "riffle_oidc_state";
    static final String COOKIE_PATH = "/v1/auth/oidc";
    /** How long a sign-in may take at the provider. */
    static final Duration MAX_SIGN_IN = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(OidcLoginRoutes.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Api api;
    private final OidcCodeExchange exchange;
    private final Clock clock;

    private OidcLoginRoutes(Api api, OidcCodeExchange exchange, Clock clock) {
        this.api = api;
        this.exchange = exchange;
        this.clock = clock;
    }

    static void install(Javalin app, Api api, Clock clock) {
        var r = new OidcLoginRoutes(api, new OidcCodeExchange(api.identity().oidcLogin()), clock);
        app.get("/v1/auth/oidc/login", r::login);
        app.get(OidcLoginConfig.CALLBACK_PATH, r::callback);
    }

    private OidcVerifier provider() {
        var oidc = api.auth().oidc();
        if (oidc == null || !api.identity().oidcLogin().web()) {
            throw Auth.notFound("OIDC sign-in", "web (set RIFFLE_OIDC_ISSUER, RIFFLE_OIDC_CLIENT_ID and "
                + "RIFFLE_OIDC_REDIRECT_URL)");
        }
        return oidc;
    }

    private void login(Context ctx) {
        var discovery = provider().discovery();
        if (discovery.authorizationEndpoint() == null) {
            throw new RiffleException("the provider's discovery document has no authorization_endpoint");
        }
        var state = random();
        var nonce = random();
        var verifier = random();
        api.db().sessions().savePending(new PendingOidcLogin(Tokens.hash(state), nonce, verifier, clock.instant()));
        Sessions.setCookie(ctx, STATE_COOKIE, state, COOKIE_PATH, MAX_SIGN_IN.toSeconds());
        var config = api.identity().oidcLogin();
        var params = new LinkedHashMap<String, String>();
        params.put("response_type", "code");
        params.put("client_id", config.clientId());
        params.put("redirect_uri", config.redirectUrl());
        params.put("scope", config.scopes());
        params.put("state", state);
        params.put("nonce", nonce);
        params.put("code_challenge", challenge(verifier));
        params.put("code_challenge_method", "S256");
        var endpoint = discovery.authorizationEndpoint().toString();
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(endpoint + (endpoint.contains("?") ? "&" : "?") + form(params));
    }

    private void callback(Context ctx) {
        var provider = provider();
        var cookieState = ctx.cookie(STATE_COOKIE);
        Sessions.clearCookie(ctx, STATE_COOKIE, COOKIE_PATH);
        ctx.header("Cache-Control", "no-store");
        try {
            var error = ctx.queryParam("error");
            if (error != null) {
                var description = ctx.queryParam("error_description");
                throw new SignInFailure("the provider answered " + error + (description == null ? "" : ": "
                    + description));
            }
            var state = ctx.queryParam("state");
            var code = ctx.queryParam("code");
            if (state == null || code == null) {
                throw new SignInFailure("the provider's answer has no state or no code");
            }
            if (cookieState == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                cookieState.getBytes(StandardCharsets.UTF_8))) {
                throw new SignInFailure("the state does not belong to a sign-in started in this browser");
            }
            var pending = api.db().sessions().takePending(Tokens.hash(state), clock.instant().minus(MAX_SIGN_IN))
                .orElseThrow(() -> new SignInFailure("the sign-in is unknown, was used already, or took longer "
                    + "than " + MAX_SIGN_IN.toMinutes() + " minutes"));
            var idToken = exchange.idToken(provider.discovery(), code, pending.codeVerifier());
            var claims = provider.verifyIdToken(idToken, api.identity().oidcLogin().clientId(), pending.nonce());
            var user = api.auth().oidcUser(claims);
            api.auth().sessions().revoke(ctx);
            api.auth().sessions().open(ctx, user, "oidc");
            api.audit(user, "login", "session", null, null, Wire.object().put("via", "oidc"));
            api.metrics().signIn("oidc", true);
            ctx.redirect("/#/pipelines");
        } catch (SignInFailure | io.riffle.core.UnauthorizedException | io.riffle.core.UnavailableException e) {
            LOG.warn("OIDC sign-in refused: {}", e.getMessage());
            api.metrics().signIn("oidc", false);
            ctx.redirect("/#/login?error=" + URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8));
        }
    }

    /** 256 random bits, base64url: fit for state, nonce and a PKCE verifier (43 characters). */
    static String random() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The S256 code challenge of a PKCE verifier (RFC 7636). */
    static String challenge(String verifier) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static String form(Map<String, String> params) {
        var sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    /** Why a sign-in was refused; its message is shown to the person signing in. */
    static final class SignInFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SignInFailure(String message) {
            super(message);
        }
    }
}
