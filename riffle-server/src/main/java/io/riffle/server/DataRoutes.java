package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.broker.ConsumedEvent;
import io.riffle.broker.PublishOutcome;
import io.riffle.core.BackpressureException;
import io.riffle.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The data plane, authorised by pipeline access tokens: publish, consume, consume dead letters. */
final class DataRoutes {
    static final int MAX_BATCH_EVENTS = 10_000;
    private final Api api;

    private DataRoutes(Api api) {
        this.api = api;
    }

    static void install(Javalin app, Api api) {
        var r = new DataRoutes(api);
        app.get("/v1/pipelines/{id}/status/access_token", r::validate);
        app.post("/v1/pipelines/{id}/topics/input/events", r::publish);
        app.post("/v1/pipelines/{id}/topics/input/events/batch", r::publishBatch);
        app.post("/v1/pipelines/{id}/topics/output/events/consume", r::consumeOutput);
        app.post("/v1/pipelines/{id}/topics/output/events/consume/batch", r::consumeBatch);
        app.post("/v1/pipelines/{id}/topics/failed/events/consume", r::consumeFailed);
    }

    private String pipeline(Context ctx) {
        var id = ctx.pathParam("id");
        api.auth().dataPlane(ctx, id);
        return id;
    }

    private void validate(Context ctx) {
        pipeline(ctx);
        ctx.json(Wire.object().put("valid", true));
    }

    /** Answers only after JetStream stored the event. */
    private void publish(Context ctx) {
        var id = pipeline(ctx);
        var body = Api.body(ctx, api.config().maxEventBytes());
        Wire.requireObject(body, "the event");
        var outcome = api.broker().publish(id, body, ctx.header("Idempotency-Key"), ctx.header("X-External-Id"));
        if (!outcome.duplicate()) {
            api.metrics().accepted(id, 1);
        }
        var out = Wire.object();
        out.put("request_id", outcome.requestId());
        out.put("duplicate", outcome.duplicate());
        ctx.json(out);
    }

    /**
     * A JSON array of events, or NDJSON (one event per line). Each event gets its own outcome; the call answers 429
     * only when nothing at all was stored because the stream is full.
     */
    private void publishBatch(Context ctx) {
        var id = pipeline(ctx);
        var body = Api.body(ctx, api.config().maxBodyBytes());
        var events = BatchBody.split(body, api.config().maxEventBytes(), MAX_BATCH_EVENTS);
        var valid = new ArrayList<byte[]>();
        var slots = new ArrayList<Integer>();
        var errors = new String[events.size()];
        for (int i = 0; i < events.size(); i++) {
            try {
                Wire.requireObject(events.get(i), "event " + i);
                valid.add(events.get(i));
                slots.add(i);
            } catch (InvalidInputException e) {
                errors[i] = e.getMessage();
            }
        }
        List<PublishOutcome> outcomes = valid.isEmpty() ? List.of()
            : api.broker().publishBatch(id, valid, ctx.header("Idempotency-Key"));
        var out = Wire.object();
        var arr = Wire.JSON.createArrayNode();
        int accepted = 0;
        var results = new PublishOutcome[events.size()];
        for (int k = 0; k < outcomes.size(); k++) {
            results[slots.get(k)] = outcomes.get(k);
        }
        for (int i = 0; i < events.size(); i++) {
            var item = arr.addObject().put("index", i);
            if (errors[i] != null) {
                item.put("error", errors[i]);
            } else if (!results[i].accepted()) {
                item.put("error", results[i].error());
            } else {
                accepted++;
                item.put("request_id", results[i].requestId()).put("duplicate", results[i].duplicate());
            }
        }
        if (accepted == 0 && !valid.isEmpty() && outcomes.stream().anyMatch(o -> o.error() != null
            && o.error().contains("full"))) {
            throw new BackpressureException("the input stream is full; nothing of this batch was stored", 1);
        }
        api.metrics().accepted(id, accepted);
        out.put("accepted", accepted);
        out.put("rejected", events.size() - accepted);
        out.set("results", arr);
        ctx.json(out);
    }

    private void consumeOutput(Context ctx) {
        consume(ctx, api.broker()::consumeOutput);
    }

    private void consumeFailed(Context ctx) {
        consume(ctx, api.broker()::consumeFailed);
    }

    /** One event (200) or nothing (204), as GlassFlow's consume answers. */
    private void consume(Context ctx, Function<String, Optional<ConsumedEvent>> take) {
        var event = take.apply(pipeline(ctx));
        if (event.isEmpty()) {
            // some GlassFlow SDK versions read the content type before the status
            ctx.status(204).contentType("application/json");
            return;
        }
        ctx.json(Views.consumed(event.get()));
    }

    /**
     * Riffle's batch consume: up to {@code max} results (default 100, at most 1000), waiting up to {@code wait_ms}
     * (default 1000, at most 30000) for the first; {@code include_payload=true} adds each input event.
     */
    private void consumeBatch(Context ctx) {
        var id = pipeline(ctx);
        int max = Api.intQuery(ctx, "max", 100, 1, 1000);
        int waitMs = Api.intQuery(ctx, "wait_ms", 1000, 0, 30_000);
        boolean withPayload = "true".equalsIgnoreCase(ctx.queryParam("include_payload"));
        var events = api.broker().consumeOutputBatch(id, max, java.time.Duration.ofMillis(waitMs), withPayload);
        var out = Wire.object();
        var arr = out.putArray("events");
        events.forEach(e -> arr.add(Views.consumed(e)));
        out.put("count", events.size());
        ctx.json(out);
    }
}
