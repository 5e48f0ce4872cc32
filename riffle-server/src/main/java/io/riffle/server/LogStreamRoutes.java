package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
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

    static void install(Javalin app, Api api) {
        app.sse("/v1/pipelines/{id}/functions/main/logs/stream", new LogStreamRoutes(api)::follow);
    }

    private void follow(SseClient client) {
        var ctx = client.ctx();
        String pipelineId;
        try {
            var user = api.auth().user(ctx);
            pipelineId = api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER).id();
        } catch (RuntimeException e) {
            ErrorMapper.handle(e, ctx);
            client.close();
            return;
        }
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
