package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.riffle.core.BackpressureException;
import io.riffle.core.ConflictException;
import io.riffle.core.ForbiddenException;
import io.riffle.core.InsufficientStorageException;
import io.riffle.core.InvalidInputException;
import io.riffle.core.NotFoundException;
import io.riffle.core.PayloadTooLargeException;
import io.riffle.core.TooEarlyException;
import io.riffle.core.UnauthorizedException;
import io.riffle.core.UnavailableException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become HTTP answers: {@code {"detail": ..., "msg": ...}} with the right status. */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    /** Marks a response whose body is already our problem document. */
    private static final String PROBLEM = "riffle.problem";

    private ErrorMapper() {
    }

    static void install(Javalin app) {
        app.exception(Exception.class, ErrorMapper::handle);
        app.error(404, ctx -> {
            if (ctx.attribute(PROBLEM) == null) {
                problem(ctx, 404, "no such route: " + ctx.method() + " " + ctx.path());
            }
        });
        app.error(405, ctx -> problem(ctx, 405, "method " + ctx.method() + " is not allowed on " + ctx.path()));
    }

    static void handle(Exception e, Context ctx) {
        switch (e) {
            case InvalidInputException x -> problem(ctx, 400, x.getMessage());
            case UnauthorizedException x -> problem(ctx, 401, x.getMessage());
            case ForbiddenException x -> problem(ctx, 403, x.getMessage());
            case NotFoundException x -> problem(ctx, 404, x.getMessage());
            case ConflictException x -> problem(ctx, 409, x.getMessage());
            case PayloadTooLargeException x -> problem(ctx, 413, x.getMessage());
            case TooEarlyException x -> problem(ctx, 425, x.getMessage());
            case InsufficientStorageException x -> {
                ctx.header("Retry-After", Integer.toString(Math.max(1, x.retryAfterSeconds())));
                problem(ctx, 507, x.getMessage());
            }
            case BackpressureException x -> {
                ctx.header("Retry-After", Integer.toString(Math.max(1, x.retryAfterSeconds())));
                problem(ctx, 429, x.getMessage());
            }
            case UnavailableException x -> {
                ctx.header("Retry-After", "1");
                problem(ctx, 503, x.getMessage());
            }
            case HttpResponseException x -> problem(ctx, x.getStatus(), x.getMessage());
            default -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, 500, "internal error; the server log has the details");
            }
        }
    }

    static void problem(Context ctx, int status, String message) {
        ctx.attribute(PROBLEM, Boolean.TRUE);
        ctx.status(status).json(Map.of("detail", message, "msg", message));
    }
}
