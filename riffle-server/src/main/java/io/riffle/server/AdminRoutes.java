package io.riffle.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.core.AuditEntry;
import io.riffle.core.AuditQuery;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Passwords;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Administrators' routes: {@code GET /v1/admin/routes} (every registered route, for the authorization matrix test),
 * {@code GET /v1/admin/audit} (the installation's audit log, filtered and paged), {@code GET /v1/admin/users} and
 * {@code POST /v1/admin/users/{id}/password} (a password reset, which signs the user out everywhere).
 */
final class AdminRoutes {
    static final int AUDIT_LIMIT = 500;
    private static final Pattern ACTION = Pattern.compile("[a-z_]{1,40}(\\.([a-z_]{1,40})?)?");

    /** One registered route: HTTP method and path template as Javalin has it. */
    record Route(String method, String path) {
    }

    private final Api api;
    private final List<Route> routes;

    private AdminRoutes(Api api, List<Route> routes) {
        this.api = api;
        this.routes = routes;
    }

    /** {@code routes} is read at request time, so it may still fill up while routes are installed. */
    static void install(Javalin app, Api api, List<Route> routes) {
        var r = new AdminRoutes(api, routes);
        app.get("/v1/admin/routes", r::list);
        app.get("/v1/admin/audit", r::audit);
        app.get("/v1/admin/users", r::users);
        app.post("/v1/admin/users/{id}/password", r::resetPassword);
    }

    private void list(Context ctx) {
        api.auth().admin(ctx);
        var out = Wire.object();
        var arr = out.putArray("routes");
        routes.stream().sorted(Comparator.comparing(Route::path).thenComparing(Route::method))
            .forEach(r -> arr.addObject().put("method", r.method()).put("path", r.path()));
        out.put("total_amount", routes.size());
        ctx.json(out);
    }

    /**
     * {@code ?space_id=&actor=&action=&since=&until=&limit=&page_token=}: newest first; {@code next_page_token}
     * fetches the next (older) page, null on the last.
     */
    private void audit(Context ctx) {
        api.auth().admin(ctx);
        var action = blankToNull(ctx.queryParam("action"));
        if (action != null && !ACTION.matcher(action).matches()) {
            throw new InvalidInputException("action must be an action such as pipeline.create, or a family such as "
                + "pipeline.; got '" + action + "'");
        }
        Long before = null;
        var page = blankToNull(ctx.queryParam("page_token"));
        if (page != null) {
            try {
                before = Long.parseLong(page);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("page_token must be the next_page_token of a previous page; got '"
                    + page + "'");
            }
        }
        int limit = Api.intQuery(ctx, "limit", 100, 1, AUDIT_LIMIT);
        var query = new AuditQuery(blankToNull(ctx.queryParam("space_id")), blankToNull(ctx.queryParam("actor")),
            action, time(ctx, "since"), time(ctx, "until"), before, limit);
        var entries = api.db().audit().search(query);
        var out = Wire.object();
        out.put("total_amount", entries.size());
        var arr = out.putArray("entries");
        entries.forEach(e -> arr.add(entry(e)));
        out.put("next_page_token", entries.size() == limit ? Long.toString(entries.getLast().id()) : null);
        ctx.json(out);
    }

    private void users(Context ctx) {
        api.auth().admin(ctx);
        var users = api.db().users().listUsers();
        var out = Wire.object();
        out.put("total_amount", users.size());
        var arr = out.putArray("users");
        users.forEach(u -> arr.add(IdentityRoutes.user(u)));
        ctx.json(out);
    }

    /**
     * Sets a local user's password ({@code {"password": ...}}). The old password stops working, and the user's
     * browser sessions and personal access tokens are revoked: a reset is what one does after a leak.
     */
    private void resetPassword(Context ctx) {
        var admin = api.auth().admin(ctx);
        var user = api.db().users().findUser(ctx.pathParam("id"))
            .orElseThrow(() -> Auth.notFound("user", ctx.pathParam("id")));
        var body = Wire.parseObject(Api.body(ctx, 64 * 1024), "request body");
        if (!body.path("password").isTextual()) {
            throw new InvalidInputException("password is required (at least " + Passwords.MIN_LENGTH
                + " characters)");
        }
        api.db().users().setPasswordHash(user.id(), Passwords.hash(body.get("password").asText()));
        int tokens = api.db().users().revokeAllPersonalTokens(user.id());
        int sessions = api.db().sessions().revokeAll(user.id());
        api.auth().forgetPersonalTokens();
        api.audit(admin, "user.password_reset", "user", user.id(), null, Wire.object().put("email", user.email())
            .put("revoked_tokens", tokens).put("revoked_sessions", sessions));
        ctx.json(Wire.object().put("user_id", user.id()).put("revoked_tokens", tokens)
            .put("revoked_sessions", sessions));
    }

    /** One audit entry as the API shows it. */
    static ObjectNode entry(AuditEntry e) {
        var o = Wire.object();
        o.put("id", e.id());
        o.put("at", Wire.time(e.at()));
        o.put("actor_id", e.actorId());
        o.put("actor_email", e.actorEmail());
        o.put("action", e.action());
        o.put("target_type", e.targetType());
        o.put("target_id", e.targetId());
        o.put("space_id", e.spaceId());
        o.set("details", e.details());
        return o;
    }

    private static Instant time(Context ctx, String name) {
        var text = blankToNull(ctx.queryParam(name));
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name + " must be an RFC 3339 time such as 2027-01-31T12:00:00Z; got '"
                + text + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
