package io.riffle.server;

import io.javalin.http.Context;
import io.riffle.broker.JetStreamBroker;
import io.riffle.core.FunctionVersion;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Pipeline;
import io.riffle.core.PayloadTooLargeException;
import io.riffle.store.Database;
import java.util.Comparator;

/** What every route group needs: the platform, authentication, builds and limits. */
record Api(Platform platform, Auth auth, FunctionBuilds builds, ServerConfig config, ServerMetrics metrics,
           IdentityConfig identity) {
    Database db() {
        return platform.database();
    }

    JetStreamBroker broker() {
        return platform.broker();
    }

    /** Tells engines (this process's at once, others through NATS) that a pipeline changed. */
    void changed(String pipelineId) {
        broker().announce(pipelineId);
        if (platform.engine() != null) {
            platform.engine().reconcileSoon();
        }
    }

    /**
     * Like {@link #changed}, but this process's engine has applied the change when it returns (a paused pipeline's
     * runners here have stopped). Engines of other processes follow within moments.
     */
    void changedNow(String pipelineId) {
        broker().announce(pipelineId);
        if (platform.engine() != null) {
            platform.engine().reconcile();
        }
    }

    FunctionVersion latestVersion(Pipeline p) {
        return db().pipelines().versions(p.id()).stream().max(Comparator.comparingInt(FunctionVersion::version))
            .orElseThrow(() -> Auth.notFound("function of pipeline", p.id()));
    }

    /** Appends to the audit log; {@code details} never holds secret values. */
    void audit(io.riffle.core.User actor, String action, String targetType, String targetId, String spaceId,
               com.fasterxml.jackson.databind.JsonNode details) {
        db().audit().record(actor, action, targetType, targetId, spaceId, details);
    }

    /** Refuses environments that reference secrets which do not exist (400 naming the key). */
    void requireSecrets(java.util.List<io.riffle.core.EnvVar> env) {
        if (env == null || env.stream().noneMatch(io.riffle.core.EnvVar::isSecret)) {
            return;
        }
        var keys = new java.util.HashSet<String>();
        db().secrets().list().forEach(s -> keys.add(s.key()));
        for (var e : env) {
            if (e.isSecret() && !keys.contains(e.secretKey())) {
                throw new InvalidInputException("environment variable '" + e.name() + "' refers to secret '"
                    + e.secretKey() + "', which does not exist; create it with POST /v1/secrets first");
            }
        }
    }

    /**
     * The connector in {@code body}'s field for {@code direction}, checked against this server's connector kinds
     * (probing the external system when it changed); {@code fallback} when the field is absent.
     */
    com.fasterxml.jackson.databind.JsonNode connector(com.fasterxml.jackson.databind.JsonNode body,
                                                       io.riffle.connectors.Direction direction,
                                                       com.fasterxml.jackson.databind.JsonNode fallback) {
        return PipelineRequest.connector(body, direction, fallback, platform.connectors(), db().secrets(), true);
    }

    String spaceName(Pipeline p, io.riffle.core.User user) {
        return auth.space(user, p.spaceId()).space().name();
    }

    /** The request body, refused with 413 beyond {@code limit} bytes. */
    static byte[] body(Context ctx, int limit) {
        long declared = ctx.contentLength();
        if (declared > limit) {
            throw new PayloadTooLargeException("request body of " + declared + " bytes exceeds the limit of " + limit
                + " bytes");
        }
        var bytes = ctx.bodyAsBytes();
        if (bytes.length > limit) {
            throw new PayloadTooLargeException("request body exceeds the limit of " + limit + " bytes");
        }
        return bytes;
    }

    static int intQuery(Context ctx, String name, int fallback, int min, int max) {
        var text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name + " must be a whole number between " + min + " and " + max
                + "; got '" + text + "'");
        }
    }
}
