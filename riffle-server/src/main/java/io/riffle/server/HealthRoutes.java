package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;

/** {@code /healthz} (the process answers), {@code /readyz} (PostgreSQL and NATS answer), {@code /metrics}. */
final class HealthRoutes {
    private final Api api;

    private HealthRoutes(Api api) {
        this.api = api;
    }

    static void install(Javalin app, Api api) {
        var r = new HealthRoutes(api);
        app.get("/healthz", ctx -> ctx.json(Wire.object().put("status", "ok")));
        app.get("/readyz", r::ready);
        app.get("/metrics", r::metrics);
    }

    private void ready(Context ctx) {
        boolean db = api.db().healthy();
        boolean nats = api.broker().connected();
        var out = Wire.object();
        out.put("status", db && nats ? "ready" : "not ready");
        out.put("database", db ? "up" : "down");
        out.put("nats", nats ? "up" : "down");
        ctx.status(db && nats ? 200 : 503).json(out);
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(api.platform().metrics().scrape());
    }
}
