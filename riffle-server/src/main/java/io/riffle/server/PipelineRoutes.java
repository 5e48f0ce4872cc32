package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.connectors.Direction;
import io.riffle.core.BuildStatus;
import io.riffle.core.FunctionVersion;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Pipeline;
import io.riffle.broker.InputRouting;
import io.riffle.core.PipelineSettings;
import io.riffle.core.PipelineState;
import io.riffle.core.PipelineToken;
import io.riffle.core.Role;
import io.riffle.core.Tokens;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** {@code /v1/pipelines}: create, list, read, update, delete, status, access tokens. */
final class PipelineRoutes {
    private final Api api;

    private PipelineRoutes(Api api) {
        this.api = api;
    }

    static void install(Javalin app, Api api) {
        var r = new PipelineRoutes(api);
        app.get("/v1/pipelines", r::list);
        app.post("/v1/pipelines", r::create);
        app.get("/v1/pipelines/{id}", r::get);
        app.patch("/v1/pipelines/{id}", r::patch);
        app.delete("/v1/pipelines/{id}", r::delete);
        app.get("/v1/pipelines/{id}/status", r::status);
        app.get("/v1/pipelines/{id}/scaling", r::scaling);
        app.get("/v1/pipelines/{id}/access_tokens", r::tokens);
        app.post("/v1/pipelines/{id}/access_tokens", r::createToken);
        app.patch("/v1/pipelines/{id}/access_tokens/{tokenId}", r::renameToken);
        app.delete("/v1/pipelines/{id}/access_tokens/{tokenId}", r::revokeToken);
    }

    private void list(Context ctx) {
        var user = api.auth().user(ctx);
        var memberships = api.db().spaces().list(user);
        var wanted = new HashSet<>(ctx.queryParams("space_id"));
        var names = new java.util.HashMap<String, String>();
        var ids = new ArrayList<String>();
        for (var m : memberships) {
            if (wanted.isEmpty() || wanted.contains(m.space().id())) {
                ids.add(m.space().id());
                names.put(m.space().id(), m.space().name());
            }
        }
        var pipelines = ids.isEmpty() ? List.<Pipeline>of() : api.db().pipelines().list(ids);
        var out = Wire.object();
        out.put("total_amount", pipelines.size());
        var arr = out.putArray("pipelines");
        pipelines.forEach(p -> arr.add(Views.pipeline(p, names.get(p.spaceId()))));
        ctx.json(out);
    }

    private void create(Context ctx) {
        var user = api.auth().user(ctx);
        var body = Wire.parseObject(Api.body(ctx, api.config().maxBodyBytes()), "request body");
        var name = PipelineRequest.name(body, true);
        var spaceId = PipelineRequest.text(body, "space_id", true);
        api.auth().space(user, spaceId, Role.EDITOR);
        var source = PipelineRequest.source(body, true);
        var requirements = PipelineRequest.requirements(body);
        var env = PipelineRequest.environments(body);
        api.requireSecrets(env);
        var now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var id = Tokens.newId();
        var pipeline = new Pipeline(id, spaceId, name, PipelineRequest.state(body, PipelineState.RUNNING),
            PipelineRequest.metadata(body, Wire.object()), api.connector(body, Direction.SOURCE, null),
            api.connector(body, Direction.SINK, null),
            PipelineRequest.settings(body, PipelineSettings.DEFAULTS), 1, now, now);
        var version = new FunctionVersion(id, 1, source, requirements, env, BuildStatus.BUILDING, "", now);
        var token = new PipelineToken(Tokens.newId(), id, "default", Tokens.newSecret(Tokens.PIPELINE_PREFIX), now);
        api.broker().createPipelineStreams(id, InputRouting.of(pipeline.settings()));
        try {
            if (pipeline.sinkConnector() != null) {
                api.broker().connectors().claimOutput(id);
            }
            api.db().pipelines().create(pipeline, version, token);
        } catch (RuntimeException e) {
            api.broker().deletePipelineStreams(id);
            throw e;
        }
        api.builds().start(version);
        api.audit(user, "pipeline.create", "pipeline", id, spaceId, Wire.object().put("name", name));
        var out = Wire.object();
        out.put("name", name);
        out.put("space_id", spaceId);
        out.set("metadata", pipeline.metadata());
        out.put("id", id);
        out.put("created_at", Wire.time(now));
        out.put("state", pipeline.state().wire());
        out.put("access_token", token.token());
        out.put("function_status", BuildStatus.BUILDING.wire());
        ctx.json(out);
    }

    /**
     * A new ordering is refused while the input holds events (they were routed by the old one); otherwise the
     * consumers of the new layout are created before the settings are stored.
     */
    private void changeRouting(Pipeline p, PipelineSettings wanted) {
        var backlog = api.broker().inputState(p.id());
        long waiting = backlog.pending() + backlog.ackPending();
        if (waiting > 0) {
            throw new io.riffle.core.ConflictException("settings.ordering: pipeline " + p.id() + " has " + waiting
                + " event(s) waiting in its input; change ordering, ordering_key or partitions once they are "
                + "processed (riffle pipeline status shows the backlog)");
        }
        api.broker().createPipelineStreams(p.id(), InputRouting.of(wanted));
    }

    private void get(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER);
        ctx.json(detailed(p, user));
    }

    private com.fasterxml.jackson.databind.node.ObjectNode detailed(Pipeline p, io.riffle.core.User user) {
        var latest = api.latestVersion(p);
        var active = p.activeVersion() == latest.version() ? latest
            : api.db().pipelines().findVersion(p.id(), p.activeVersion()).orElse(null);
        return Views.detailed(p, api.spaceName(p, user), active, latest).set("connectors", connectors(p));
    }

    /** GlassFlow sends this body without a Content-Type; it is parsed as JSON whatever the header says. */
    private void patch(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        var body = Wire.parseObject(Api.body(ctx, api.config().maxBodyBytes()), "request body");
        var name = PipelineRequest.name(body, false);
        var updated = new Pipeline(p.id(), p.spaceId(), name == null ? p.name() : name,
            PipelineRequest.state(body, p.state()), PipelineRequest.metadata(body, (com.fasterxml.jackson.databind
            .node.ObjectNode) p.metadata()), api.connector(body, Direction.SOURCE, p.sourceConnector()),
            api.connector(body, Direction.SINK, p.sinkConnector()),
            PipelineRequest.settings(body, p.settings()), p.activeVersion(), p.createdAt(), p.updatedAt());
        var source = PipelineRequest.source(body, false);
        var requirements = PipelineRequest.requirements(body);
        var env = PipelineRequest.environments(body);
        api.requireSecrets(env);
        var details = Wire.object();
        var fields = details.putArray("fields");
        body.fieldNames().forEachRemaining(fields::add);
        if (source != null || requirements != null || env != null) {
            details.put("version", FunctionRoutes.newVersion(api, p, source, requirements, env).version());
        }
        if (updated.settings().routingDiffers(p.settings())) {
            changeRouting(p, updated.settings());
        }
        outputOwner(p, updated);
        api.db().pipelines().update(updated);
        api.audit(user, "pipeline.update", "pipeline", p.id(), p.spaceId(), details);
        api.changedNow(p.id());
        ctx.json(detailed(api.db().pipelines().find(p.id()).orElseThrow(), user));
    }

    /** A sink added keeps the output for itself; a sink removed gives it back to the consume API. */
    private void outputOwner(Pipeline before, Pipeline after) {
        if (after.sinkConnector() != null && before.sinkConnector() == null) {
            api.broker().connectors().claimOutput(after.id());
        } else if (after.sinkConnector() == null && before.sinkConnector() != null) {
            api.broker().connectors().releaseOutput(after.id());
        }
    }

    private void delete(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        api.db().pipelines().delete(p.id());
        api.auth().forgetPipeline(p.id());
        api.audit(user, "pipeline.delete", "pipeline", p.id(), p.spaceId(), Wire.object().put("name", p.name()));
        if (api.platform().engine() != null) {
            api.platform().engine().reconcile();
        }
        api.broker().announce(p.id());
        api.broker().deletePipelineStreams(p.id());
        ctx.status(204);
    }

    private void status(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER);
        var latest = api.latestVersion(p);
        var out = Wire.object();
        out.put("id", p.id());
        out.put("state", p.state().wire());
        out.put("active_version", p.activeVersion());
        out.put("latest_version", latest.version());
        out.put("function_status", latest.status().wire());
        if (latest.status() == BuildStatus.FAILED) {
            out.put("error", latest.buildLog());
        }
        var stats = api.broker().stats(p.id());
        out.put("input_stored", stats.inputStored());
        out.put("backlog", stats.backlog());
        out.put("in_flight", stats.inFlight());
        out.put("output_waiting", stats.outputWaiting());
        out.put("failed_waiting", stats.failedWaiting());
        var engine = api.platform().engine();
        var runners = engine == null ? null : engine.status().get(p.id());
        out.put("replicas", runners == null ? 0 : runners.replicas());
        if (runners != null) {
            out.put("running_version", runners.version());
        } else {
            out.putNull("running_version");
        }
        out.put("worker_restarts", runners == null ? 0 : runners.restarts());
        out.put("last_error", runners == null ? null : runners.lastError());
        out.set("connectors", connectors(p));
        ctx.json(out);
    }

    /**
     * {@code {source: {...}, sink: {...}}}: the status each configured connector's engine last reported (from any
     * process); {@code {"kind": k, "state": "starting"}} until one did.
     */
    private com.fasterxml.jackson.databind.node.ObjectNode connectors(Pipeline p) {
        var out = Wire.object();
        java.util.Map<String, byte[]> reported;
        try {
            reported = api.broker().connectors().statuses().get(p.id());
        } catch (io.riffle.core.RiffleException e) {
            reported = java.util.Map.of();
        }
        var configured = new java.util.LinkedHashMap<String, com.fasterxml.jackson.databind.JsonNode>();
        configured.put("source", p.sourceConnector());
        configured.put("sink", p.sinkConnector());
        for (var e : configured.entrySet()) {
            if (e.getValue() == null || e.getValue().isNull()) {
                continue;
            }
            var kind = e.getValue().path("kind").asText();
            var status = reported.get(e.getKey()) == null ? null : Wire.tree(reported.get(e.getKey()));
            if (status == null || !kind.equals(status.path("kind").asText())) {
                status = Wire.object().put("kind", kind).put("state", "starting");
            }
            out.set(e.getKey(), status);
        }
        return out;
    }

    /** The autoscaler's recent decisions for this pipeline in this process's engine. */
    private void scaling(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER);
        var engine = api.platform().engine();
        var out = Wire.object();
        var runners = engine == null ? null : engine.status().get(p.id());
        out.put("replicas", runners == null ? 0 : runners.replicas());
        out.set("settings", Views.settings(p.settings()));
        var arr = out.putArray("events");
        if (engine != null) {
            for (var e : engine.scaleEvents(p.id())) {
                arr.addObject().put("at", Wire.time(e.at())).put("from", e.from()).put("to", e.to())
                    .put("reason", e.reason());
            }
        }
        ctx.json(out);
    }

    private void tokens(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        var tokens = api.db().tokens().pipelineTokens(p.id());
        var out = Wire.object();
        out.put("total_amount", tokens.size());
        var arr = out.putArray("access_tokens");
        tokens.forEach(t -> arr.add(Views.token(t)));
        ctx.json(out);
    }

    private void createToken(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        var body = Wire.parseObject(Api.body(ctx, 64 * 1024), "request body");
        var name = PipelineRequest.name(body, true);
        var token = api.db().tokens().createPipelineToken(p.id(), name);
        api.audit(user, "pipeline_token.create", "pipeline_token", token.id(), p.spaceId(),
            Wire.object().put("pipeline_id", p.id()).put("name", name));
        ctx.json(Views.token(token));
    }

    private void renameToken(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        var body = Wire.parseObject(Api.body(ctx, 64 * 1024), "request body");
        var name = PipelineRequest.name(body, true);
        var token = api.db().tokens().renamePipelineToken(p.id(), ctx.pathParam("tokenId"), name);
        api.audit(user, "pipeline_token.update", "pipeline_token", token.id(), p.spaceId(),
            Wire.object().put("pipeline_id", p.id()).put("name", name));
        ctx.json(Views.token(token));
    }

    private void revokeToken(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        if (api.db().tokens().pipelineTokens(p.id()).size() <= 1) {
            throw new InvalidInputException("a pipeline keeps at least one access token; create another first");
        }
        api.db().tokens().revokePipelineToken(p.id(), ctx.pathParam("tokenId"));
        api.auth().forgetPipeline(p.id());
        api.audit(user, "pipeline_token.delete", "pipeline_token", ctx.pathParam("tokenId"), p.spaceId(),
            Wire.object().put("pipeline_id", p.id()));
        ctx.status(204);
    }
}
