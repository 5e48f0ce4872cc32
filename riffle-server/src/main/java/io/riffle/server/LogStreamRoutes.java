package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.riffle.broker.LogQuery;
import io.riffle.core.Role;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code GET /v1/pipelines/{id}/functions/main/logs/stream}: the function log followed live as Server-Sent
 * Events ({@code event: log}, one entry as JSON per event). {@code page_token} starts from a position; without it,
 * from new entries only.
 */
final class LogStreamRoutes {
    static final Duration POLL = Duration.ofMillis(500);
    private final Api api;

    private LogStreamRoutes(Api api) {
        this.api = api;
    }

    /**
     * Authenticates before the event stream starts: once it has, the status (200) is sent, so a refusal must come
     * first to answer 401 or 404.
     */
    static void install(Javalin app, Api api) {
        var r = new LogStreamRoutes(api);
        var stream = new SseHandler(r::follow);
        app.get("/v1/pipelines/{id}/functions/main/logs/stream", ctx -> {
            var user = api.auth().user(ctx);
            api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER);
            Api.intQuery(ctx, "severity_code", 100, 0, 1000);
            stream.handle(ctx);
        });
    }

    private void follow(SseClient client) {
        var ctx = client.ctx();
        String pipelineId = ctx.pathParam("id");
        int minSeverity = Api.intQuery(ctx, "severity_code", 100, 0, 1000);
        String token = ctx.queryParam("page_token");
        if (token == null) {
            token = api.broker().logsTail(pipelineId);
        }
        while (!client.terminated()) {
            var page = api.broker().readLogs(pipelineId, new LogQuery(200, token, minSeverity, null, null));
            for (var entry : page.entries()) {
                client.sendEvent("log", new String(entry, StandardCharsets.UTF_8));
            }
            token = page.next();
            if (page.entries().isEmpty()) {
                client.sendComment("keep-alive");
                try {
                    Thread.sleep(POLL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

}
