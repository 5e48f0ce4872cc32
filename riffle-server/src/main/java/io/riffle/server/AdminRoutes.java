package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/** {@code GET /v1/admin/routes}: every registered route, for administrators (the authorization matrix test). */
final class AdminRoutes {
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
    }

    private void list(Context ctx) {
        api.auth().admin(ctx);
        var out = Wire.object();
        var arr = out.putArray("routes");
        routes.stream().sorted(java.util.Comparator.comparing(Route::path).thenComparing(Route::method))
            .forEach(r -> arr.addObject().put("method", r.method()).put("path", r.path()));
        out.put("total_amount", routes.size());
        ctx.json(out);
    }
}
