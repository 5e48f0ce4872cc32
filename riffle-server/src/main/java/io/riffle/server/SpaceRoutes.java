package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Role;

/** {@code /v1/spaces}: list, create, delete. */
final class SpaceRoutes {
    private final Api api;

    private SpaceRoutes(Api api) {
        this.api = api;
    }

    static void install(Javalin app, Api api) {
        var r = new SpaceRoutes(api);
        app.get("/v1/spaces", r::list);
        app.post("/v1/spaces", r::create);
        app.delete("/v1/spaces/{id}", r::delete);
    }

    private void list(Context ctx) {
        var user = api.auth().user(ctx);
        var spaces = api.db().spaces().list(user);
        var out = Wire.object();
        out.put("total_amount", spaces.size());
        var arr = out.putArray("spaces");
        spaces.forEach(m -> arr.add(Views.spaceScope(m)));
        ctx.json(out);
    }

    private void create(Context ctx) {
        var user = api.auth().user(ctx);
        var body = Wire.parseObject(Api.body(ctx, api.config().maxBodyBytes()), "request body");
        var name = PipelineRequest.name(body, true);
        if (name.length() > PipelineRequest.MAX_NAME) {
            throw new InvalidInputException("name is too long");
        }
        var space = api.db().spaces().create(name, user.id());
        api.audit(user, "space.create", "space", space.id(), space.id(), Wire.object().put("name", name));
        ctx.json(Views.space(space));
    }

    private void delete(Context ctx) {
        var user = api.auth().user(ctx);
        var membership = api.auth().space(user, ctx.pathParam("id"), Role.OWNER);
        api.db().spaces().delete(membership.space().id());
        api.audit(user, "space.delete", "space", membership.space().id(), membership.space().id(),
            Wire.object().put("name", membership.space().name()));
        ctx.status(204);
    }
}
