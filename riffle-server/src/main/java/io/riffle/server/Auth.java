package io.riffle.server;

import io.javalin.http.Context;
import io.riffle.core.NotFoundException;
import io.riffle.core.Pipeline;
import io.riffle.core.Role;
import io.riffle.core.SpaceMembership;
import io.riffle.core.Tokens;
import io.riffle.core.UnauthorizedException;
import io.riffle.core.User;
import io.riffle.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Who is calling and what they may touch. Management calls carry a personal access token
 * ({@code Personal-Access-Token} or {@code Authorization: Bearer}); data calls a pipeline access token
 * ({@code X-PIPELINE-ACCESS-TOKEN}). A caller who may not see a resource gets 404, never a hint that it exists.
 */
final class Auth {
    static final Duration TOKEN_TTL = Duration.ofSeconds(5);
    private final Database db;
    private final Clock clock;
    private final TtlCache<String, User> personal;
    private final TtlCache<String, String> pipelineTokens;
    private final TtlCache<String, Boolean> pipelineExists;

    Auth(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.personal = new TtlCache<>(TOKEN_TTL, clock,
            hash -> db.users().userForPersonalToken(hash, clock.instant()));
        this.pipelineTokens = new TtlCache<>(TOKEN_TTL, clock, token -> db.tokens().pipelineForToken(token));
        this.pipelineExists = new TtlCache<>(TOKEN_TTL, clock,
            id -> Optional.of(db.pipelines().find(id).isPresent()));
    }

    /** The signed-in user of a management call. */
    User user(Context ctx) {
        var token = ctx.header("Personal-Access-Token");
        if (token == null || token.isBlank()) {
            var authorization = ctx.header("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = authorization.substring(7).trim();
            }
        }
        if (token == null || token.isBlank()) {
            throw new UnauthorizedException("missing credential: send 'Personal-Access-Token: <token>' or "
                + "'Authorization: Bearer <token>'");
        }
        var hash = Tokens.hash(token.trim());
        return personal.get(hash).orElseThrow(() -> new UnauthorizedException(
            "the personal access token is not valid (unknown, revoked or expired)"));
    }

    /** The caller's membership of a space, or 404. */
    SpaceMembership space(User user, String spaceId) {
        return db.spaces().find(spaceId, user).orElseThrow(() -> notFound("space", spaceId));
    }

    /** A pipeline the caller may act on with at least {@code needed}; 404 when they may not see it. */
    Pipeline pipeline(User user, String pipelineId, Role needed) {
        var pipeline = db.pipelines().find(pipelineId).orElseThrow(() -> notFound("pipeline", pipelineId));
        var membership = db.spaces().find(pipeline.spaceId(), user)
            .orElseThrow(() -> notFound("pipeline", pipelineId));
        if (!membership.role().atLeast(needed)) {
            throw new io.riffle.core.ForbiddenException("your role in this space is " + membership.role().wire()
                + "; this needs " + needed.wire());
        }
        return pipeline;
    }

    /** Checks the data-plane token of a call on {@code pipelineId}: 404 for an unknown pipeline, 401 for a bad token. */
    void dataPlane(Context ctx, String pipelineId) {
        var token = ctx.header("X-PIPELINE-ACCESS-TOKEN");
        if (token != null && !token.isBlank()) {
            var owner = pipelineTokens.get(token.trim());
            if (owner.isPresent() && owner.get().equals(pipelineId)) {
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

    /** Forgets cached answers about a pipeline (after deleting it or revoking one of its tokens). */
    void forgetPipeline(String pipelineId) {
        pipelineExists.invalidate(pipelineId);
        pipelineTokens.clear();
    }

    static NotFoundException notFound(String what, String id) {
        return new NotFoundException(what + " '" + id + "' was not found");
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
