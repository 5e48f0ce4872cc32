package io.riffle.store;

import io.riffle.core.ActiveSession;
import io.riffle.core.NotFoundException;
import io.riffle.core.PendingOidcLogin;
import io.riffle.core.SessionStore;
import io.riffle.core.User;
import io.riffle.core.WebSession;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** {@link SessionStore} over {@code web_sessions} and {@code oidc_pending_logins}. */
final class PostgresSessionStore implements SessionStore {
    /** A session's last use is written at most this often, so that reads do not each cost a write. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    /** Sign-ins older than this are deleted whenever a new one starts. */
    static final Duration PENDING_KEPT = Duration.ofHours(1);
    private static final String COLUMNS = "s.id_hash, s.user_id, s.csrf_token, s.via, s.created_at, s.last_seen_at,"
        + " s.expires_at, u.id, u.email, u.name, u.admin, u.created_at AS user_created_at";

    private final Jdbc jdbc;
    private final Clock clock;

    PostgresSessionStore(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public WebSession create(String idHash, String userId, String csrfToken, String via, Instant expiresAt) {
        Objects.requireNonNull(idHash, "idHash");
        Objects.requireNonNull(csrfToken, "csrfToken");
        var now = Jdbc.micros(clock.instant());
        var session = new WebSession(idHash, userId, csrfToken, via, now, now, Jdbc.micros(expiresAt));
        return jdbc.inTransaction(c -> {
            if (Jdbc.queryOne(c, "SELECT 1 FROM users WHERE id = ?", rs -> 1, userId).isEmpty()) {
                throw new NotFoundException("user " + userId + " not found");
            }
            // Sessions that ended long ago are of no use to anyone: a new sign-in sweeps its user's.
            Jdbc.update(c, "DELETE FROM web_sessions WHERE user_id = ? AND (expires_at < ? OR revoked_at < ?)",
                userId, now.minus(Duration.ofDays(1)), now.minus(Duration.ofDays(1)));
            Jdbc.update(c, "INSERT INTO web_sessions (id_hash, user_id, csrf_token, via, created_at, last_seen_at,"
                + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)", idHash, userId, csrfToken, via, now, now,
                session.expiresAt());
            return session;
        });
    }

    @Override
    public Optional<ActiveSession> touch(String idHash, Instant now, Duration idle) {
        var found = jdbc.queryOne("SELECT " + COLUMNS + " FROM web_sessions s JOIN users u ON u.id = s.user_id"
                + " WHERE s.id_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND s.last_seen_at > ?",
            PostgresSessionStore::active, idHash, now, now.minus(idle));
        found.ifPresent(a -> {
            if (a.session().lastSeenAt().plus(TOUCH_EVERY).isBefore(now)) {
                jdbc.update("UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?",
                    now, idHash, now);
            }
        });
        return found;
    }

    @Override
    public boolean revoke(String idHash) {
        return jdbc.update("UPDATE web_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL",
            clock.instant(), idHash) > 0;
    }

    @Override
    public int revokeAll(String userId) {
        return jdbc.update("UPDATE web_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
            clock.instant(), userId);
    }

    @Override
    public void savePending(PendingOidcLogin login) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM oidc_pending_logins WHERE created_at < ?",
                clock.instant().minus(PENDING_KEPT));
            return Jdbc.update(c, "INSERT INTO oidc_pending_logins (state_hash, nonce, code_verifier, created_at)"
                + " VALUES (?, ?, ?, ?)", login.stateHash(), login.nonce(), login.codeVerifier(), login.createdAt());
        });
    }

    @Override
    public Optional<PendingOidcLogin> takePending(String stateHash, Instant notBefore) {
        return jdbc.queryOne("DELETE FROM oidc_pending_logins WHERE state_hash = ? RETURNING state_hash, nonce,"
                + " code_verifier, created_at", rs -> new PendingOidcLogin(rs.getString(1), rs.getString(2),
                rs.getString(3), Jdbc.instant(rs, "created_at")), stateHash)
            .filter(p -> !p.createdAt().isBefore(notBefore));
    }

    private static ActiveSession active(ResultSet rs) throws SQLException {
        var user = new User(rs.getString("id"), rs.getString("email"), rs.getString("name"), rs.getBoolean("admin"),
            Jdbc.instant(rs, "user_created_at"));
        var session = new WebSession(rs.getString("id_hash"), rs.getString("user_id"), rs.getString("csrf_token"),
            rs.getString("via"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_seen_at"),
            Jdbc.instant(rs, "expires_at"));
        return new ActiveSession(user, session);
    }
}
