package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Role;
import java.time.Duration;

/** {@code GET /v1/pipelines/{id}/metrics}: rates, backlog, replicas and latency over a recent window. */
final class MetricsRoutes {
    private final Api api;
    private final MetricsHistory history;

    private MetricsRoutes(Api api, MetricsHistory history) {
        this.api = api;
        this.history = history;
    }

    static void install(Javalin app, Api api, MetricsHistory history) {
        var r = new MetricsRoutes(api, history);
        app.get("/v1/pipelines/{id}/metrics", r::metrics);
    }

    private void metrics(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER);
        var window = window(ctx.queryParam("window"));
        var samples = history.window(p.id(), window);
        var out = Wire.object();
        out.put("window_seconds", window.toSeconds());
        out.put("step_seconds", MetricsHistory.STEP.toSeconds());
        var points = out.putArray("points");
        MetricsHistory.Sample previous = null;
        for (var s : samples) {
            var point = points.addObject();
            point.put("t", Wire.time(s.at()));
            if (previous != null) {
                double seconds = Math.max(0.001, Duration.between(previous.at(), s.at()).toMillis() / 1000.0);
                point.put("in_per_second", round((s.inputTotal() - previous.inputTotal()) / seconds));
                point.put("out_per_second", round((s.outputTotal() - previous.outputTotal()) / seconds));
                point.put("failed_per_second", round((s.failedTotal() - previous.failedTotal()) / seconds));
            }
            point.put("backlog", s.backlog());
            point.put("replicas", s.replicas());
            point.put("latency_p50_ms", s.latencyP50());
            point.put("latency_p99_ms", s.latencyP99());
            previous = s;
        }
        if (previous != null) {
            var totals = out.putObject("totals");
            totals.put("events_in", previous.inputTotal());
            totals.put("events_out", previous.outputTotal());
            totals.put("events_failed", previous.failedTotal());
        }
        ctx.json(out);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** {@code 90s}, {@code 15m}, {@code 1h}; at most the kept history. */
    static Duration window(String text) {
        if (text == null || text.isBlank()) {
            return Duration.ofMinutes(15);
        }
        var t = text.trim();
        try {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            var d = switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
            if (d.isNegative() || d.isZero() || d.compareTo(MetricsHistory.KEEP) > 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new InvalidInputException("window must be like 90s, 15m or 1h, at most "
                + MetricsHistory.KEEP.toMinutes() + "m; got '" + text + "'");
        }
    }
}
