package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Member;
import io.riffle.core.Role;
import io.riffle.core.User;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code /v1/spaces/{id}/members} and {@code /v1/spaces/{id}/audit}: members read by every member, changed by
 * owners; the audit log read by owners.
 */
final class MemberRoutes {
    static final int AUDIT_LIMIT = 500;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,200}@[^@\\s]{1,200}");
    private final Api api;

    private MemberRoutes(Api api) {
        this.api = api;
    }

    static void install(Javalin app, Api api) {
        var r = new MemberRoutes(api);
        app.get("/v1/spaces/{id}/members", r::list);
        app.post("/v1/spaces/{id}/members", r::invite);
        app.patch("/v1/spaces/{id}/members/{userId}", r::setRole);
        app.delete("/v1/spaces/{id}/members/{userId}", r::remove);
        app.get("/v1/spaces/{id}/audit", r::audit);
    }

    private void list(Context ctx) {
        var user = api.auth().user(ctx);
        var space = api.auth().space(user, ctx.pathParam("id"), Role.VIEWER).space();
        var members = api.db().spaces().members(space.id());
        var out = Wire.object();
        out.put("total_amount", members.size());
        var arr = out.putArray("members");
        members.forEach(m -> arr.add(view(m)));
        ctx.json(out);
    }

    /** Invites by email: an existing user, or a new local user without a password (OIDC or a later password). */
    private void invite(Context ctx) {
        var user = api.auth().user(ctx);
        var space = api.auth().space(user, ctx.pathParam("id"), Role.OWNER).space();
        var body = Wire.parseObject(Api.body(ctx, 64 * 1024), "request body");
        var email = email(body.path("email").asText(null));
        var role = Role.parse(body.path("role").asText("viewer"));
        var invitee = api.db().users().findByEmail(email).orElse(null);
        if (invitee == null) {
            invitee = api.db().users().createUser(email, body.path("name").asText(""), false, null);
            api.audit(user, "user.create", "user", invitee.id(), null, Wire.object().put("email", email)
                .put("via", "invitation"));
        }
        var member = api.db().spaces().addMember(space.id(), invitee.id(), role);
        api.audit(user, "member.create", "member", invitee.id(), space.id(),
            Wire.object().put("email", email).put("role", role.wire()));
        ctx.status(201).json(view(member));
    }

    private void setRole(Context ctx) {
        var user = api.auth().user(ctx);
        var space = api.auth().space(user, ctx.pathParam("id"), Role.OWNER).space();
        var body = Wire.parseObject(Api.body(ctx, 64 * 1024), "request body");
        if (!body.path("role").isTextual()) {
            throw new InvalidInputException("role is required: owner, editor or viewer");
        }
        var role = Role.parse(body.path("role").asText());
        var member = api.db().spaces().setRole(space.id(), ctx.pathParam("userId"), role);
        api.audit(user, "member.update", "member", member.userId(), space.id(),
            Wire.object().put("email", member.email()).put("role", role.wire()));
        ctx.json(view(member));
    }

    private void remove(Context ctx) {
        var user = api.auth().user(ctx);
        var space = api.auth().space(user, ctx.pathParam("id"), Role.OWNER).space();
        var userId = ctx.pathParam("userId");
        api.db().spaces().removeMember(space.id(), userId);
        api.audit(user, "member.delete", "member", userId, space.id(), null);
        ctx.status(204);
    }

    private void audit(Context ctx) {
        User user = api.auth().user(ctx);
        var space = api.auth().space(user, ctx.pathParam("id"), Role.OWNER).space();
        int limit = Api.intQuery(ctx, "limit", 100, 1, AUDIT_LIMIT);
        var entries = api.db().audit().forSpace(space.id(), limit);
        var out = Wire.object();
        out.put("total_amount", entries.size());
        var arr = out.putArray("entries");
        entries.forEach(e -> arr.add(AdminRoutes.entry(e)));
        ctx.json(out);
    }

    static String email(String text) {
        if (text == null || !EMAIL.matcher(text.trim()).matches()) {
            throw new InvalidInputException("email is required and must look like name@example.com");
        }
        return text.trim().toLowerCase(Locale.ROOT);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode view(Member m) {
        var o = Wire.object();
        o.put("user_id", m.userId());
        o.put("email", m.email());
        o.put("name", m.name());
        o.put("permission", m.role().wire());
        return o;
    }
}
