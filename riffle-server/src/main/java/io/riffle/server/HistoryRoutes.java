package io.riffle.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.core.BuildStatus;
import io.riffle.core.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /v1/pipelines/{id}/history}: what happened to a pipeline, newest first, merged from its function
 * versions (created, built or failed) and this process's engine's scale decisions.
 *
 * <p>Versions carry only their creation time, so a build's event is stamped with the version's {@code created_at}
 * (and says so with {@code at_is_created_at}). Scale events exist only for pipelines whose runners live in this
 * process's engine, and only the engine's recent ones (kept in memory). The audit log is not merged: its port reads
 * by space only, and reading it is an owner's right while this route is a viewer's.
 */
final class HistoryRoutes {
    static final int MAX_LIMIT = 1000;
    private final Api api;

    private HistoryRoutes(Api api) {
        this.api = api;
    }

    static void install(Javalin app, Api api) {
        var r = new HistoryRoutes(api);
        app.get("/v1/pipelines/{id}/history", r::history);
    }

    /** One event before sorting; {@code order} keeps events with equal times in the order they happened. */
    private record Event(Instant at, int order, ObjectNode json) {
    }

    private void history(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER);
        int limit = Api.intQuery(ctx, "limit", 100, 1, MAX_LIMIT);
        var events = new ArrayList<Event>();
        for (var v : api.db().pipelines().versions(p.id())) {
            var created = Wire.object();
            created.put("kind", "version_created");
            created.put("version", v.version());
            created.put("message", "Version " + v.version() + " created");
            events.add(new Event(v.createdAt(), events.size(), created));
            if (v.status() != BuildStatus.BUILDING) {
                boolean ready = v.status() == BuildStatus.READY;
                var line = Wire.firstLine(v.buildLog().strip());
                var built = Wire.object();
                built.put("kind", ready ? "build_ready" : "build_failed");
                built.put("version", v.version());
                built.put("log", line);
                built.put("message", "Version " + v.version() + (ready ? " built" : " failed to build")
                    + (line.isEmpty() ? "" : ": " + line));
                built.put("at_is_created_at", true);
                events.add(new Event(v.createdAt(), events.size(), built));
            }
        }
        var engine = api.platform().engine();
        if (engine != null) {
            for (var s : engine.scaleEvents(p.id())) {
                var scaled = Wire.object();
                scaled.put("kind", "scaled");
                scaled.put("from", s.from());
                scaled.put("to", s.to());
                scaled.put("reason", s.reason());
                scaled.put("message", "Scaled from " + s.from() + " to " + s.to() + " replica"
                    + (s.to() == 1 ? "" : "s") + (s.reason() == null || s.reason().isBlank() ? "" : ": " + s.reason()));
                events.add(new Event(s.at(), events.size(), scaled));
            }
        }
        events.sort(Comparator.comparing(Event::at).thenComparingInt(Event::order).reversed());
        var out = Wire.object();
        var arr = out.putArray("events");
        for (var e : events.subList(0, Math.min(limit, events.size()))) {
            var o = arr.addObject();
            o.put("at", Wire.time(e.at()));
            o.setAll(e.json());
        }
        ctx.json(out);
    }
}
