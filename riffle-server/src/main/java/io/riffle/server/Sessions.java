package io.riffle.server;

import io.javalin.http.Context;
import io.riffle.core.ActiveSession;
import io.riffle.core.ForbiddenException;
import io.riffle.core.Tokens;
import io.riffle.core.User;
import io.riffle.core.WebSession;
import io.riffle.store.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Browser sessions: a random id in an HttpOnly, SameSite=Lax cookie ({@code Secure} when the request came over TLS,
 * directly or as {@code X-Forwarded-Proto: https} from a proxy), stored server-side by its hash with idle and
 * absolute expiry. A state-changing call authenticated by the cookie must echo the session's CSRF token in
 * {@value #CSRF_HEADER} (synchronizer token): another site can make the browser send the cookie, but cannot read the
 * token. Thread-safe.
 */
final class Sessions {
    static final String COOKIE = "riffle_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String SESSION_PREFIX = "rfl_ses_";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private final Database db;
    private final Clock clock;
    private final SessionConfig config;

    Sessions(Database db, Clock clock, SessionConfig config) {
        this.db = db;
        this.clock = clock;
        this.config = config;
    }

    SessionConfig config() {
        return config;
    }

    /** Opens a session for {@code user} and sets its cookie on the answer. */
    WebSession open(Context ctx, User user, String via) {
        var id = Tokens.newSecret(SESSION_PREFIX);
        var session = db.sessions().create(Tokens.hash(id), user.id(), Tokens.newSecret(""), via,
            clock.instant().plus(config.absolute()));
        setCookie(ctx, COOKIE, id, "/", -1);
        return session;
    }

    /** The live session of the request's cookie, if any (marking it used). */
    Optional<ActiveSession> current(Context ctx) {
        var id = ctx.cookie(COOKIE);
        if (id == null || !id.startsWith(SESSION_PREFIX)) {
            return Optional.empty();
        }
        return db.sessions().touch(Tokens.hash(id), clock.instant(), config.idle());
    }

    /** True when the request carries a session cookie at all (live or not). */
    static boolean hasCookie(Context ctx) {
        var id = ctx.cookie(COOKIE);
        return id != null && !id.isBlank();
    }

    /** Refuses (403) a state-changing call whose {@value #CSRF_HEADER} is not the session's token. */
    static void requireCsrf(Context ctx, ActiveSession session) {
        if (SAFE_METHODS.contains(ctx.method().name())) {
            return;
        }
        var sent = ctx.header(CSRF_HEADER);
        if (sent == null || sent.isBlank()) {
            throw new ForbiddenException("missing " + CSRF_HEADER + " header: a change made with a session cookie "
                + "must send the session's csrf_token (GET /v1/auth/session)");
        }
        if (!MessageDigest.isEqual(sent.trim().getBytes(StandardCharsets.UTF_8),
            session.session().csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenException("the " + CSRF_HEADER + " header does not match this session's csrf_token");
        }
    }

    /** Ends the request's session (if live) and clears its cookie; false when there was no live session. */
    boolean close(Context ctx) {
        clearCookie(ctx, COOKIE, "/");
        return revoke(ctx);
    }

    /** Ends the request's session, if live, leaving the cookie to be replaced. */
    boolean revoke(Context ctx) {
        var id = ctx.cookie(COOKIE);
        return id != null && db.sessions().revoke(Tokens.hash(id));
    }

    /** True when the request came over TLS, to the server or (as {@code X-Forwarded-Proto}) to a proxy before it. */
    static boolean secure(Context ctx) {
        var forwarded = ctx.header("X-Forwarded-Proto");
        if (forwarded != null && !forwarded.isBlank()) {
            return "https".equalsIgnoreCase(forwarded.split(",")[0].trim());
        }
        return "https".equalsIgnoreCase(ctx.scheme());
    }

    /** Sets an HttpOnly, SameSite=Lax cookie; {@code maxAgeSeconds} < 0 makes it last until the browser closes. */
    static void setCookie(Context ctx, String name, String value, String path, long maxAgeSeconds) {
        var header = new StringBuilder(name).append('=').append(value).append("; Path=").append(path)
            .append("; HttpOnly; SameSite=Lax");
        if (maxAgeSeconds >= 0) {
            header.append("; Max-Age=").append(maxAgeSeconds);
        }
        if (secure(ctx)) {
            header.append("; Secure");
        }
        ctx.res().addHeader("Set-Cookie", header.toString());
    }

    static void clearCookie(Context ctx, String name, String path) {
        setCookie(ctx, name, "", path, 0);
    }
}
