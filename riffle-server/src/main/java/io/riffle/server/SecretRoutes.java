package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.core.ForbiddenException;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Role;
import io.riffle.core.Secret;
import io.riffle.core.User;

/**
 * GlassFlow's {@code /v1/secrets}: installation-wide secrets (GlassFlow's organization scope). Owners and editors of
 * any space (and administrators) list, create and delete them; values are never returned nor logged.
 */
final class SecretRoutes {
    static final int MAX_VALUE_BYTES = 64 * 1024;
    private final Api api;

    private SecretRoutes(Api api) {
        this.api = api;
    }

    static void install(Javalin app, Api api) {
        var r = new SecretRoutes(api);
        app.get("/v1/secrets", r::list);
        app.post("/v1/secrets", r::create);
        app.delete("/v1/secrets/{key}", r::delete);
    }

    private User editor(Context ctx) {
        var user = api.auth().user(ctx);
        if (!api.auth().anySpace(user, Role.EDITOR)) {
            throw new ForbiddenException("secrets need the editor or owner role in some space");
        }
        return user;
    }

    private void list(Context ctx) {
        editor(ctx);
        var secrets = api.db().secrets().list();
        var out = Wire.object();
        out.put("total_amount", secrets.size());
        var arr = out.putArray("secrets");
        secrets.forEach(s -> arr.addObject().put("key", s.key()));
        ctx.json(out);
    }

    private void create(Context ctx) {
        var user = editor(ctx);
        var body = Wire.parseObject(Api.body(ctx, MAX_VALUE_BYTES + 1024), "request body");
        var key = Secret.requireKey(body.path("key").asText(null));
        var value = body.get("value");
        if (value == null || !value.isTextual()) {
            throw new InvalidInputException("value is required and must be a string");
        }
        boolean created = api.db().secrets().put(key, value.asText());
        api.audit(user, created ? "secret.create" : "secret.update", "secret", key, null, null);
        ctx.status(created ? 201 : 200).json(Wire.object().put("key", key));
    }

    private void delete(Context ctx) {
        var user = editor(ctx);
        var key = Secret.requireKey(ctx.pathParam("key"));
        api.db().secrets().delete(key);
        api.audit(user, "secret.delete", "secret", key, null, null);
        ctx.status(204);
    }
}
