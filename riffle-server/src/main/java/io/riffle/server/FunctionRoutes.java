package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riffle.broker.LogQuery;
import io.riffle.core.BuildStatus;
import io.riffle.core.EnvVar;
import io.riffle.core.FunctionVersion;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Pipeline;
import io.riffle.core.Role;
import io.riffle.core.TooEarlyException;
import io.riffle.runtime.EventOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** {@code /v1/pipelines/{id}/functions/main/...}: artifacts, versions, environment, logs and test runs. */
final class FunctionRoutes {
    private static final String BASE = "/v1/pipelines/{id}/functions/main";
    private final Api api;

    private FunctionRoutes(Api api) {
        this.api = api;
    }

    static void install(Javalin app, Api api) {
        var r = new FunctionRoutes(api);
        app.get(BASE + "/artifacts/latest", r::latestArtifact);
        app.post(BASE + "/artifacts", r::uploadArtifact);
        app.patch(BASE, r::patchFunction);
        app.get(BASE + "/logs", r::logs);
        app.post(BASE + "/test", r::test);
        app.get(BASE + "/versions", r::versions);
        app.get(BASE + "/versions/{version}", r::version);
        app.post(BASE + "/versions/{version}/activate", r::activate);
    }

    /** Adds a version built from {@code latest} with the given changes (null = keep) and starts its build. */
    static FunctionVersion newVersion(Api api, Pipeline p, String source, String requirements, List<EnvVar> env) {
        var latest = api.latestVersion(p);
        if (latest.status() == BuildStatus.BUILDING) {
            throw new TooEarlyException("version " + latest.version() + " of the function is still being built; "
                + "try again when it is ready");
        }
        var v = api.db().pipelines().addVersion(p.id(), source == null ? latest.source() : source,
            requirements == null ? latest.requirementsTxt() : requirements,
            env == null ? latest.environments() : env, BuildStatus.BUILDING);
        api.builds().start(v);
        return v;
    }

    private void latestArtifact(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER);
        var v = api.latestVersion(p);
        var out = Wire.object();
        out.putArray("files").addObject().put("name", "handler.py").put("content", v.source());
        out.put("transformation_function", v.source());
        out.put("requirements_txt", v.requirementsTxt());
        out.put("version", v.version());
        out.put("status", v.status().wire());
        ctx.json(out);
    }

    private void uploadArtifact(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        if (!ctx.isMultipartFormData()) {
            throw new InvalidInputException("send multipart/form-data with a 'file' part (the handler source) and "
                + "an optional 'requirementsTxt' field");
        }
        var file = multipart(() -> ctx.uploadedFile("file"));
        String source = null;
        if (file != null) {
            if (file.size() > PipelineRequest.MAX_SOURCE_BYTES) {
                throw new io.riffle.core.PayloadTooLargeException("the handler file exceeds "
                    + PipelineRequest.MAX_SOURCE_BYTES + " bytes");
            }
            source = read(file);
            if (source.isBlank()) {
                throw new InvalidInputException("the 'file' part is empty");
            }
        }
        var requirements = multipart(() -> ctx.formParam("requirementsTxt"));
        if (source == null && requirements == null) {
            throw new InvalidInputException("nothing to deploy: send a 'file' part and/or a 'requirementsTxt' field");
        }
        var v = newVersion(api, p, source, requirements, null);
        api.audit(user, "version.create", "function_version", p.id() + "/" + v.version(), p.spaceId(),
            Wire.object().put("pipeline_id", p.id()).put("version", v.version()).put("via", "artifact"));
        ctx.json(Views.version(v, false));
    }

    /**
     * Reads from the multipart body. Jetty's parser reports malformed input (no closing boundary, a control character,
     * an overlong part header) with undeclared IOExceptions and IllegalStateExceptions: that is the client's error.
     */
    private static <T> T multipart(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (Exception malformed) {
            throw new InvalidInputException("the multipart/form-data body is malformed (a part without a closing "
                + "boundary, a control character, or a part header over 8 KiB); send a 'file' part with the handler "
                + "source and an optional 'requirementsTxt' field");
        }
    }

    private static String read(io.javalin.http.UploadedFile file) {
        try (var in = file.content(); var out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void patchFunction(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        var body = Wire.parseObject(Api.body(ctx, api.config().maxBodyBytes()), "request body");
        var env = PipelineRequest.environments(body);
        if (env == null) {
            throw new InvalidInputException("environments is required: [{\"name\": ..., \"value\": ...}]");
        }
        api.requireSecrets(env);
        var v = newVersion(api, p, null, null, env);
        var names = Wire.JSON.createArrayNode();
        env.forEach(e -> names.add(e.name()));
        api.audit(user, "version.create", "function_version", p.id() + "/" + v.version(), p.spaceId(),
            Wire.object().put("pipeline_id", p.id()).put("version", v.version()).set("environment_names", names));
        var out = Wire.object();
        out.set("environments", Views.environments(v));
        out.put("version", v.version());
        ctx.json(out);
    }

    private void logs(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER);
        var query = new LogQuery(Api.intQuery(ctx, "page_size", 50, 1, 1000), ctx.queryParam("page_token"),
            Api.intQuery(ctx, "severity_code", 100, 0, 1000), instant(ctx, "start_time"), instant(ctx, "end_time"));
        var page = api.broker().readLogs(p.id(), query);
        var out = new ByteArrayOutputStream();
        out.writeBytes("{\"logs\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < page.entries().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(page.entries().get(i));
        }
        out.writeBytes(("],\"next\":\"" + page.next() + "\"}").getBytes(StandardCharsets.UTF_8));
        ctx.contentType("application/json").result(out.toByteArray());
    }

    private static Instant instant(Context ctx, String name) {
        var text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name + " must be an RFC 3339 time such as 2026-01-31T12:00:00Z; got '"
                + text + "'");
        }
    }

    private void test(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        var event = Api.body(ctx, api.config().maxEventBytes());
        Wire.parse(event, "sample event");
        var v = api.latestVersion(p);
        if (v.status() == BuildStatus.BUILDING) {
            throw new TooEarlyException("version " + v.version() + " of the function is still being built; "
                + "try again when it is ready");
        }
        var run = api.platform().runtime().test(v.source(), v.requirementsTxt(), api.builds().env(v), event,
            p.settings().eventTimeout(), p.settings().memoryLimitMb());
        ctx.json(TestView.of(run, event, v.version()));
    }

    private void versions(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER);
        var out = Wire.object();
        out.put("active_version", p.activeVersion());
        var arr = out.putArray("versions");
        api.db().pipelines().versions(p.id()).forEach(v -> arr.add(Views.version(v, false)));
        ctx.json(out);
    }

    private FunctionVersion findVersion(Pipeline p, Context ctx) {
        int n = versionNumber(ctx);
        return api.db().pipelines().findVersion(p.id(), n)
            .orElseThrow(() -> Auth.notFound("function version", Integer.toString(n)));
    }

    private static int versionNumber(Context ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("version"));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("version must be a number");
        }
    }

    private void version(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.VIEWER);
        ctx.json(Views.version(findVersion(p, ctx), true));
    }

    /** Rollback (or roll forward) to a ready version. */
    private void activate(Context ctx) {
        var user = api.auth().user(ctx);
        var p = api.auth().pipeline(user, ctx.pathParam("id"), Role.EDITOR);
        var v = findVersion(p, ctx);
        if (v.status() != BuildStatus.READY) {
            throw new io.riffle.core.ConflictException("version " + v.version() + " is " + v.status().wire()
                + "; only a ready version can run");
        }
        api.builds().activate(p.id(), v.version(), true);
        api.audit(user, "version.activate", "function_version", p.id() + "/" + v.version(), p.spaceId(),
            Wire.object().put("pipeline_id", p.id()).put("version", v.version()));
        var out = Wire.object();
        out.put("active_version", v.version());
        ctx.json(out);
    }

    /** The answer of a test run, in the shape of GlassFlow's {@code TestFunctionResponse}. */
    static final class TestView {
        private TestView() {
        }

        static com.fasterxml.jackson.databind.node.ObjectNode of(io.riffle.runtime.TestRun run, byte[] event,
                                                                  int version) {
            var o = Wire.object();
            var now = Wire.time(Instant.now());
            var id = io.riffle.core.Tokens.newId();
            o.put("req_id", id);
            o.put("receive_time", now);
            o.set("payload", Wire.tree(event));
            o.putObject("event_context").put("request_id", id).put("receive_time", now).putNull("external_id");
            o.put("version", version);
            if (run.loadError() != null) {
                o.put("status", "Failed");
                o.putNull("response");
                o.put("error_details", run.loadError().getMessage());
                o.put("stack_trace", run.loadError().traceback());
            } else if (run.crash() != null) {
                o.put("status", "Failed");
                o.putNull("response");
                o.put("error_details", run.crash().reason().name().toLowerCase(java.util.Locale.ROOT) + ": "
                    + run.crash().detail());
                o.put("stack_trace", "");
            } else if (run.outcome() instanceof EventOutcome.Failure f) {
                o.put("status", "Failed");
                o.putNull("response");
                o.put("error_details", f.message());
                o.put("stack_trace", f.traceback());
            } else {
                var results = ((EventOutcome.Results) run.outcome()).values();
                o.put("status", results.isEmpty() ? "Filtered" : "Success");
                o.set("response", results.isEmpty() ? Wire.JSON.nullNode() : Wire.tree(results.get(0)));
                var all = o.putArray("responses");
                results.forEach(r -> all.add(Wire.tree(r)));
                o.putNull("error_details");
                o.putNull("stack_trace");
            }
            var logs = o.putArray("logs");
            run.logs().forEach(l -> logs.add(Wire.tree(l)));
            return o;
        }
    }
}
