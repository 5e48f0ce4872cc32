package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Role;
import java.util.ArrayList;

/**
 * Dead letters as a management resource: list them without taking them, replay some or all into the input
 * (after fixing the function), or purge them.
 */
final class DeadLetterRoutes {
    private static final int MAX_REPLAY = 10_000;
    private final Api api;

    private DeadLetterRoutes(Api api) {
        this.api = api;
    }

    static void install(Javalin app, Api api) {
        var r = new DeadLetterRoutes(api);
        app.get("/v1/pipelines/{id}/dead_letters", r::list);
        app.post("/v1/pipelines/{id}/dead_letters/replay", r::replay);
        app.delete("/v1/pipelines/{id}/dead_letters", r::purge);
    }

    /** {@code ?after=<sequence>&limit=50}: oldest first; pass the last {@code sequence} as {@code after}. */
    private void list(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER);
        long after = longQuery(ctx, "after");
        var letters = api.broker().listFailed(p.id(), after, Api.intQuery(ctx, "limit", 50, 1, 1000));
        var out = Wire.object();
        var arr = out.putArray("dead_letters");
        for (var d : letters) {
            arr.add(Views.consumed(d).put("sequence", d.sequence()));
        }
        out.put("count", letters.size());
        if (!letters.isEmpty()) {
            out.put("next_after", letters.get(letters.size() - 1).sequence());
        }
        ctx.json(out);
    }

    /** {@code {"sequences": [..]}} replays those; {@code {"all": true}} replays every dead letter. */
    private void replay(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        var body = Wire.parseObject(Api.body(ctx, api.config().maxBodyBytes()), "request body");
        var sequences = new ArrayList<Long>();
        if (body.path("all").asBoolean(false)) {
            long after = 0;
            while (sequences.size() < MAX_REPLAY) {
                var page = api.broker().listFailed(p.id(), after, 1000);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(d -> sequences.add(d.sequence()));
                after = page.get(page.size() - 1).sequence();
            }
        } else {
            var list = body.get("sequences");
            if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_REPLAY) {
                throw new InvalidInputException("send {\"sequences\": [<sequence>, ...]} (at most " + MAX_REPLAY
                    + ") or {\"all\": true}");
            }
            for (var n : list) {
                if (!n.canConvertToLong() || !n.isIntegralNumber()) {
                    throw new InvalidInputException("sequences must be whole numbers");
                }
                sequences.add(n.asLong());
            }
        }
        int replayed = api.broker().replayFailed(p.id(), sequences);
        api.metrics().accepted(p.id(), replayed);
        ctx.json(Wire.object().put("replayed", replayed));
    }

    private void purge(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        ctx.json(Wire.object().put("purged", api.broker().purgeFailed(p.id())));
    }

    private static long longQuery(Context ctx, String name) {
        var text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name + " must be a sequence number; got '" + text + "'");
        }
    }
}
