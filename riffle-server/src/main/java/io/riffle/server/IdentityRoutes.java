package io.riffle.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Passwords;
import io.riffle.core.PersonalToken;
import io.riffle.core.Tokens;
import io.riffle.core.User;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Who am I ({@code /v1/profile}), personal access tokens ({@code /v1/personal_access_tokens}), local users
 * ({@code POST /v1/users}, administrators only) and password login ({@code POST /v1/auth/login}).
 */
final class IdentityRoutes {
    private static final int MAX_NAME = 200;
    private final Api api;
    private final PasswordLogin passwords;
    private final Clock clock;

    private IdentityRoutes(Api api, PasswordLogin passwords, Clock clock) {
        this.api = api;
        this.passwords = passwords;
        this.clock = clock;
    }

    static void install(Javalin app, Api api, PasswordLogin passwords, Clock clock) {
        var r = new IdentityRoutes(api, passwords, clock);
        app.get("/v1/profile", r::profile);
        app.get("/v1/personal_access_tokens", r::tokens);
        app.post("/v1/personal_access_tokens", r::createToken);
        app.delete("/v1/personal_access_tokens/{id}", r::revokeToken);
        app.post("/v1/users", r::createUser);
        app.post("/v1/auth/login", r::login);
    }

    private void profile(Context ctx) {
        ctx.json(user(api.auth().user(ctx)));
    }

    private void tokens(Context ctx) {
        var user = api.auth().user(ctx);
        var tokens = api.db().users().personalTokens(user.id());
        var out = Wire.object();
        out.put("total_amount", tokens.size());
        var arr = out.putArray("personal_access_tokens");
        tokens.forEach(t -> arr.add(token(t)));
        ctx.json(out);
    }

    /** The secret is in this answer only; Riffle keeps its hash. */
    private void createToken(Context ctx) {
        var user = api.auth().user(ctx);
        var body = Wire.parseObject(Api.body(ctx, 64 * 1024), "request body");
        var name = text(body.path("name").asText(null), "name");
        Instant expiresAt = null;
        if (body.hasNonNull("expires_at")) {
            try {
                expiresAt = OffsetDateTime.parse(body.get("expires_at").asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("expires_at must be an RFC 3339 time such as 2027-01-31T12:00:00Z");
            }
            if (!expiresAt.isAfter(clock.instant())) {
                throw new InvalidInputException("expires_at must be in the future");
            }
        }
        ctx.json(issue(user, name, expiresAt, "token.create"));
    }

    private ObjectNode issue(User user, String name, Instant expiresAt, String action) {
        var secret = Tokens.newSecret(Tokens.PERSONAL_PREFIX);
        var stored = api.db().users().createPersonalToken(user.id(), name, Tokens.hash(secret), expiresAt);
        api.audit(user, action, "personal_access_token", stored.id(), null, Wire.object().put("name", name));
        return token(stored).put("token", secret);
    }

    private void revokeToken(Context ctx) {
        var user = api.auth().user(ctx);
        var id = ctx.pathParam("id");
        api.db().users().revokePersonalToken(user.id(), id);
        api.auth().forgetPersonalTokens();
        api.audit(user, "token.delete", "personal_access_token", id, null, null);
        ctx.status(204);
    }

    private void createUser(Context ctx) {
        var admin = api.auth().admin(ctx);
        var body = Wire.parseObject(Api.body(ctx, 64 * 1024), "request body");
        var email = MemberRoutes.email(body.path("email").asText(null));
        var name = body.path("name").asText("");
        var password = body.path("password").asText(null);
        var hash = password == null ? null : Passwords.hash(password);
        var created = api.db().users().createUser(email, name, body.path("admin").asBoolean(false), hash);
        api.audit(admin, "user.create", "user", created.id(), null, Wire.object().put("email", email)
            .put("admin", created.admin()));
        ctx.status(201).json(user(created));
    }

    /**
     * Email and password for a personal access token. Every failure answers the same 401, whether the email exists
     * or not; five failures for an email within 15 minutes answer 429 until the window passes.
     */
    private void login(Context ctx) {
        var user = passwords.verify(Wire.parseObject(Api.body(ctx, 64 * 1024), "request body"));
        var now = clock.instant();
        var ttl = api.identity().loginTokenTtl();
        ctx.json(issue(user, "login " + Wire.time(now), now.plus(ttl), "login"));
    }

    private static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field + " is required");
        }
        if (value.length() > MAX_NAME) {
            throw new InvalidInputException(field + " is too long (at most " + MAX_NAME + " characters)");
        }
        return value.trim();
    }

    private static ObjectNode token(PersonalToken t) {
        var o = Wire.object();
        o.put("id", t.id());
        o.put("name", t.name());
        o.put("created_at", Wire.time(t.createdAt()));
        o.put("expires_at", t.expiresAt() == null ? null : Wire.time(t.expiresAt()));
        return o;
    }

    static ObjectNode user(User u) {
        var o = Wire.object();
        o.put("id", u.id());
        o.put("email", u.email());
        o.put("name", u.name());
        o.put("admin", u.admin());
        o.put("created_at", Wire.time(u.createdAt()));
        return o;
    }
}
