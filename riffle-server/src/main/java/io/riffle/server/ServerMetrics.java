package io.riffle.server;

import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Meters of the API: HTTP requests by route template (never by raw path, so the label set stays bounded), events
 * accepted per pipeline, function build durations and browser sign-ins. Names in docs/metrics.md.
 */
final class ServerMetrics {
    static final String HTTP_REQUESTS = "riffle.http.requests";
    static final String EVENTS_IN = "riffle.pipeline.events.in";
    static final String BUILD_DURATION = "riffle.function.build.duration";
    static final String SIGN_INS = "riffle.auth.sign_ins";
    private static final String STARTED = "riffle.started";
    private final MeterRegistry registry;
    private final Map<String, Counter> eventsIn = new ConcurrentHashMap<>();

    ServerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void install(Javalin app) {
        app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        app.after(ctx -> {
            Long started = ctx.attribute(STARTED);
            if (started == null) {
                return;
            }
            var route = ctx.endpointHandlerPath();
            Timer.builder(HTTP_REQUESTS).tag("method", ctx.method().name())
                .tag("route", route == null || route.isEmpty() ? "unmatched" : route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .description("HTTP requests by route template and status").register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        });
    }

    /** Counts events stored for a pipeline by publish. */
    void accepted(String pipelineId, int count) {
        if (count > 0) {
            eventsIn.computeIfAbsent(pipelineId, id -> Counter.builder(EVENTS_IN).tag("pipeline", id)
                .description("events accepted by publish and stored in the input stream").register(registry))
                .increment(count);
        }
    }

    /** Counts a browser sign-in: {@code via} password, token or oidc; refused ones too (OIDC callbacks). */
    void signIn(String via, boolean ok) {
        Counter.builder(SIGN_INS).tag("via", via).tag("outcome", ok ? "ok" : "refused")
            .description("browser sign-ins (sessions opened, and OIDC sign-ins refused)").register(registry)
            .increment();
    }

    void built(boolean ok, long nanos) {
        Timer.builder(BUILD_DURATION).tag("outcome", ok ? "ready" : "failed")
            .description("virtualenv build and handler import check of a function version").register(registry)
            .record(nanos, TimeUnit.NANOSECONDS);
    }
}
