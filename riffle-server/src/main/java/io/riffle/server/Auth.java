package io.riffle.server;

import com.nimbusds.jwt.JWTClaimsSet;
import io.javalin.http.Context;
import io.riffle.core.BackpressureException;
import io.riffle.core.ConflictException;
import io.riffle.core.ForbiddenException;
import io.riffle.core.NotFoundException;
import io.riffle.core.Pipeline;
import io.riffle.core.Role;
import io.riffle.core.SpaceMembership;
import io.riffle.core.Tokens;
import io.riffle.core.UnauthorizedException;
import io.riffle.core.User;
import io.riffle.store.Database;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is calling and what they may touch. Management calls carry a personal access token
 * ({@code Personal-Access-Token} or {@code Authorization: Bearer}) or, with OIDC configured, the provider's JWT
 * access token ({@code Authorization: Bearer}); data calls a pipeline access token ({@code X-PIPELINE-ACCESS-TOKEN}).
 * A caller who may not see a resource gets 404, never a hint that it exists; one who sees it but whose role is too
 * weak gets 403.
 */
final class Auth {
    static final Duration TOKEN_TTL = Duration.ofSeconds(5);
    private static final int MAX_JWTS = 10_000;
    private final Database db;
    private final Clock clock;
    private final TtlCache<String, User> personal;
    private final TtlCache<String, String> pipelineTokens;
    private final TtlCache<String, Boolean> pipelineExists;
    private final OidcVerifier oidc;
    private final RateLimiter limiter;
    private final Sessions sessions;
    private final Map<String, CachedJwt> jwts = new ConcurrentHashMap<>();

    Auth(Database db, Clock clock) {
        this(db, clock, IdentityConfig.DEFAULTS);
    }

    Auth(Database db, Clock clock, IdentityConfig config) {
        this.db = db;
        this.clock = clock;
        this.personal = new TtlCache<>(TOKEN_TTL, clock,
            hash -> db.users().userForPersonalToken(hash, clock.instant()));
        this.pipelineTokens = new TtlCache<>(TOKEN_TTL, clock, token -> db.tokens().pipelineForToken(token));
        this.pipelineExists = new TtlCache<>(TOKEN_TTL, clock,
            id -> Optional.of(db.pipelines().find(id).isPresent()));
        this.oidc = config.oidc() ? new OidcVerifier(config.oidcIssuer(), config.oidcAudience(), clock) : null;
        this.limiter = new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), clock);
        this.sessions = new Sessions(db, clock, config.sessions());
    }

    Sessions sessions() {
        return sessions;
    }

    /** The verifier of the configured OIDC issuer, or null without OIDC. */
    OidcVerifier oidc() {
        return oidc;
    }

    /**
     * The signed-in user of a management call: by a credential header, else by the browser session cookie (whose
     * state-changing calls must carry the CSRF token).
     */
    User user(Context ctx) {
        var token = ctx.header("Personal-Access-Token");
        if (token == null || token.isBlank()) {
            var authorization = ctx.header("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = authorization.substring(7).trim();
                if (oidc != null && OidcVerifier.looksLikeJwt(token)) {
                    return jwtUser(token);
                }
            }
        }
        if ((token == null || token.isBlank()) && Sessions.hasCookie(ctx)) {
            var active = sessions.current(ctx).orElseThrow(() -> new UnauthorizedException(
                "the browser session has ended (signed out, unused too long, or expired): sign in again"));
            Sessions.requireCsrf(ctx, active);
            return active.user();
        }
        if (token == null || token.isBlank()) {
            throw new UnauthorizedException("missing credential: send 'Personal-Access-Token: <token>' or "
                + "'Authorization: Bearer <token>', or sign in (POST /v1/auth/session)");
        }
        var hash = Tokens.hash(token.trim());
        return personal.get(hash).orElseThrow(() -> new UnauthorizedException(
            "the personal access token is not valid (unknown, revoked or expired)"));
    }

    /** The signed-in user, who must be an administrator (403 otherwise). */
    User admin(Context ctx) {
        var user = user(ctx);
        if (!user.admin()) {
            throw new ForbiddenException("this needs an administrator");
        }
        return user;
    }

    /** The caller's membership of a space, or 404. */
    SpaceMembership space(User user, String spaceId) {
        return db.spaces().find(spaceId, user).orElseThrow(() -> notFound("space", spaceId));
    }

    /** The caller's membership of a space with at least {@code needed}: 404 when they may not see it, else 403. */
    SpaceMembership space(User user, String spaceId, Role needed) {
        var membership = space(user, spaceId);
        if (!membership.role().atLeast(needed)) {
            throw new ForbiddenException("your role in this space is " + membership.role().wire() + "; this needs "
                + needed.wire());
        }
        return membership;
    }

    /** A pipeline the caller may act on with at least {@code needed}; 404 when they may not see it. */
    Pipeline pipeline(User user, String pipelineId, Role needed) {
        var pipeline = db.pipelines().find(pipelineId).orElseThrow(() -> notFound("pipeline", pipelineId));
        var membership = db.spaces().find(pipeline.spaceId(), user)
            .orElseThrow(() -> notFound("pipeline", pipelineId));
        if (!membership.role().atLeast(needed)) {
            throw new ForbiddenException("your role in this space is " + membership.role().wire()
                + "; this needs " + needed.wire());
        }
        return pipeline;
    }

    /** True when the user is an administrator or holds at least {@code needed} in some space. */
    boolean anySpace(User user, Role needed) {
        return user.admin() || db.spaces().list(user).stream().anyMatch(m -> m.role().atLeast(needed));
    }

    /**
     * Checks the data-plane token of a call on {@code pipelineId}: 404 for an unknown pipeline, 401 for a bad token,
     * 429 beyond the token's rate limit ({@code events} calls' worth).
     */
    void dataPlane(Context ctx, String pipelineId, int events) {
        var token = ctx.header("X-PIPELINE-ACCESS-TOKEN");
        if (token != null && !token.isBlank()) {
            var owner = pipelineTokens.get(token.trim());
            if (owner.isPresent() && owner.get().equals(pipelineId)) {
                long wait = limiter.tryAcquire(Tokens.hash(token.trim()), events);
                if (wait > 0) {
                    throw new BackpressureException("rate limit of this pipeline access token reached", (int) wait);
                }
                return;
            }
        }
        if (!pipelineExists.get(pipelineId).orElse(false)) {
            throw notFound("pipeline", pipelineId);
        }
        throw new UnauthorizedException(token == null || token.isBlank()
            ? "missing credential: send 'X-PIPELINE-ACCESS-TOKEN: <pipeline access token>'"
            : "the pipeline access token is not valid for this pipeline");
    }

    void dataPlane(Context ctx, String pipelineId) {
        dataPlane(ctx, pipelineId, 1);
    }

    /** Forgets cached answers about a pipeline (after deleting it or revoking one of its tokens). */
    void forgetPipeline(String pipelineId) {
        pipelineExists.invalidate(pipelineId);
        pipelineTokens.clear();
    }

    /** Forgets cached personal tokens, so that a revocation takes effect on this server at once. */
    void forgetPersonalTokens() {
        personal.clear();
    }

    private User jwtUser(String token) {
        var key = Tokens.hash(token);
        long now = clock.millis();
        var cached = jwts.get(key);
        if (cached != null && cached.until > now) {
            return cached.user;
        }
        var claims = oidc.verify(token);
        var user = oidcUser(claims);
        if (jwts.size() >= MAX_JWTS) {
            jwts.clear();
        }
        long exp = claims.getExpirationTime().getTime();
        jwts.put(key, new CachedJwt(user, Math.min(exp, now + TOKEN_TTL.toMillis())));
        return user;
    }

    /** The user of a verified token: found by subject, else linked by verified email, else created. */
    User oidcUser(JWTClaimsSet claims) {
        var subject = claims.getSubject();
        var known = db.users().findByOidcSubject(subject);
        if (known.isPresent()) {
            return known.get();
        }
        String email;
        String name;
        boolean verified;
        try {
            email = claims.getStringClaim("email");
            name = claims.getStringClaim("name");
            verified = Boolean.TRUE.equals(claims.getBooleanClaim("email_verified"));
        } catch (ParseException e) {
            throw new UnauthorizedException("the bearer token has malformed profile claims: " + e.getMessage());
        }
        if (email != null && verified) {
            var byEmail = db.users().findByEmail(email);
            if (byEmail.isPresent()) {
                db.users().linkOidcSubject(byEmail.get().id(), subject);
                return byEmail.get();
            }
        }
        if (email == null || db.users().findByEmail(email).isPresent()) {
            // An unverified address must not take over a local account: the user gets a placeholder address.
            email = subject.replaceAll("[^A-Za-z0-9._-]", "_") + "@oidc.invalid";
        }
        try {
            return db.users().createOidcUser(subject, email, name == null ? subject : name);
        } catch (ConflictException raced) {
            return db.users().findByOidcSubject(subject).orElseThrow(() -> raced);
        }
    }

    static NotFoundException notFound(String what, String id) {
        return new NotFoundException(what + " '" + id + "' was not found");
    }


    private record CachedJwt(User user, long until) {
    }
}
