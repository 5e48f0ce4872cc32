package io.riffle.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.core.InvalidInputException;
import io.riffle.core.UnauthorizedException;
import io.riffle.core.User;
import io.riffle.core.WebSession;

/**
 * Browser sign-in: {@code GET /v1/auth/config} (how one may sign in, for the web app and the CLI; anonymous),
 * {@code POST /v1/auth/session} (email and password, or a credential header, for a session cookie),
 * {@code GET /v1/auth/session} (the session and its CSRF token) and {@code DELETE /v1/auth/session} (sign out).
 */
final class SessionRoutes {
    private final Api api;
    private final PasswordLogin passwords;

    private SessionRoutes(Api api, PasswordLogin passwords) {
        this.api = api;
        this.passwords = passwords;
    }

    static void install(Javalin app, Api api, PasswordLogin passwords) {
        var r = new SessionRoutes(api, passwords);
        app.get("/v1/auth/config", r::config);
        app.get("/v1/auth/session", r::show);
        app.post("/v1/auth/session", r::open);
        app.delete("/v1/auth/session", r::close);
    }

    private void config(Context ctx) {
        var identity = api.identity();
        var out = Wire.object();
        out.put("password_login", true);
        if (!identity.oidc()) {
            out.putNull("oidc");
        } else {
            var oidc = out.putObject("oidc");
            oidc.put("issuer", identity.oidcIssuer());
            oidc.put("web_login", identity.oidcLogin().web() ? "/v1/auth/oidc/login" : null);
            if (identity.oidcLogin().cli()) {
                oidc.putObject("cli").put("client_id", identity.oidcLogin().cliClientId())
                    .put("audience", identity.oidcAudience()).put("scope", identity.oidcLogin().scopes()
                        + " offline_access");
            } else {
                oidc.putNull("cli");
            }
        }
        ctx.json(out);
    }

    private void show(Context ctx) {
        var active = api.auth().sessions().current(ctx).orElseThrow(() -> new UnauthorizedException(
            "no browser session: sign in with POST /v1/auth/session"));
        ctx.header("Cache-Control", "no-store");
        ctx.json(view(active.user(), active.session()));
    }

    /**
     * A session for an email and password ({@code application/json} only, so that a cross-site form cannot sign
     * the browser in as someone else), or for the caller of a credential header (a pasted personal access token).
     */
    private void open(Context ctx) {
        User user;
        String via;
        if (ctx.header("Personal-Access-Token") != null || ctx.header("Authorization") != null) {
            user = api.auth().user(ctx);
            via = "token";
        } else {
            var type = ctx.contentType();
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                throw new InvalidInputException("Content-Type must be application/json; got '" + type + "'");
            }
            user = passwords.verify(Wire.parseObject(Api.body(ctx, 64 * 1024), "request body"));
            via = "password";
        }
        api.auth().sessions().revoke(ctx); // a sign-in replaces the browser's previous session
        var session = api.auth().sessions().open(ctx, user, via);
        api.audit(user, "login", "session", null, null, Wire.object().put("via", via));
        api.metrics().signIn(via, true);
        ctx.header("Cache-Control", "no-store");
        ctx.status(201).json(view(user, session));
    }

    private void close(Context ctx) {
        var active = api.auth().sessions().current(ctx).orElseThrow(() -> {
            Sessions.clearCookie(ctx, Sessions.COOKIE, "/");
            return new UnauthorizedException("no browser session to sign out of");
        });
        Sessions.requireCsrf(ctx, active);
        api.auth().sessions().close(ctx);
        api.audit(active.user(), "logout", "session", null, null, null);
        ctx.status(204);
    }

    private ObjectNode view(User user, WebSession session) {
        var out = Wire.object();
        out.set("user", IdentityRoutes.user(user));
        out.put("csrf_token", session.csrfToken());
        out.put("via", session.via());
        out.put("created_at", Wire.time(session.createdAt()));
        out.put("expires_at", Wire.time(session.expiresAt()));
        out.put("idle_timeout_seconds", api.auth().sessions().config().idle().toSeconds());
        return out;
    }
}
