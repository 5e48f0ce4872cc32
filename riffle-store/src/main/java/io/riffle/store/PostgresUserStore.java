package io.riffle.store;

import io.riffle.core.ConflictException;
import io.riffle.core.NotFoundException;
import io.riffle.core.PersonalToken;
import io.riffle.core.Tokens;
import io.riffle.core.User;
import io.riffle.core.UserStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link UserStore} over {@code users} and {@code personal_tokens}; token secrets are never stored, only hashes. */
final class PostgresUserStore implements UserStore {
    private static final String USER_COLUMNS = "u.id, u.email, u.name, u.admin, u.created_at";
    private static final String TOKEN_COLUMNS = "id, user_id, name, created_at, expires_at";

    private final Jdbc jdbc;
    private final Clock clock;

    PostgresUserStore(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public User createUser(String email, String name, boolean admin, String passwordHash) {
        Objects.requireNonNull(email, "email");
        var user = new User(Tokens.newId(), email, name == null ? "" : name, admin, Jdbc.micros(clock.instant()));
        try {
            jdbc.update("INSERT INTO users (id, email, name, password_hash, admin, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", user.id(), user.email(), user.name(), passwordHash, admin,
                user.createdAt());
        } catch (ConflictException e) {
            throw new ConflictException("a user with email '" + email + "' already exists", e);
        }
        return user;
    }

    @Override
    public Optional<User> findUser(String userId) {
        return jdbc.queryOne("SELECT " + USER_COLUMNS + " FROM users u WHERE u.id = ?", PostgresUserStore::user,
            userId);
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return jdbc.queryOne("SELECT " + USER_COLUMNS + " FROM users u WHERE u.email = ?", PostgresUserStore::user,
            email);
    }

    @Override
    public long countUsers() {
        return jdbc.queryOne("SELECT count(*) FROM users", rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public List<User> listUsers() {
        return jdbc.query("SELECT " + USER_COLUMNS + " FROM users u ORDER BY u.email", PostgresUserStore::user);
    }

    @Override
    public PersonalToken createPersonalToken(String userId, String name, String tokenHash, Instant expiresAt) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenHash, "tokenHash");
        var token = new PersonalToken(Tokens.newId(), userId, name, Jdbc.micros(clock.instant()),
            Jdbc.micros(expiresAt));
        return jdbc.inTransaction(c -> {
            if (Jdbc.queryOne(c, "SELECT 1 FROM users WHERE id = ?", rs -> 1, userId).isEmpty()) {
                throw new NotFoundException("user " + userId + " not found");
            }
            Jdbc.update(c, "INSERT INTO personal_tokens (id, user_id, name, token_hash, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", token.id(), userId, name, tokenHash, token.createdAt(),
                token.expiresAt());
            return token;
        });
    }

    @Override
    public Optional<User> userForPersonalToken(String tokenHash, Instant now) {
        Objects.requireNonNull(now, "now");
        return jdbc.queryOne("SELECT " + USER_COLUMNS + " FROM personal_tokens t JOIN users u ON u.id = t.user_id"
                + " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)",
            PostgresUserStore::user, tokenHash, now);
    }

    /** Live (not revoked) tokens, expired ones included so that their owner sees them lapse; oldest first. */
    @Override
    public List<PersonalToken> personalTokens(String userId) {
        return jdbc.query("SELECT " + TOKEN_COLUMNS + " FROM personal_tokens WHERE user_id = ?"
            + " AND revoked_at IS NULL ORDER BY created_at, id", PostgresUserStore::token, userId);
    }

    @Override
    public void revokePersonalToken(String userId, String tokenId) {
        int updated = jdbc.update("UPDATE personal_tokens SET revoked_at = ? WHERE id = ? AND user_id = ?"
            + " AND revoked_at IS NULL", clock.instant(), tokenId, userId);
        if (updated == 0) {
            throw new NotFoundException("user " + userId + " has no token " + tokenId);
        }
    }

    @Override
    public Optional<String> passwordHash(String email) {
        return jdbc.queryOne("SELECT password_hash FROM users WHERE email = ? AND password_hash IS NOT NULL",
            rs -> rs.getString(1), email);
    }

    @Override
    public void setPasswordHash(String userId, String passwordHash) {
        if (jdbc.update("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, userId) == 0) {
            throw new NotFoundException("user " + userId + " not found");
        }
    }

    @Override
    public Optional<User> findByOidcSubject(String subject) {
        return jdbc.queryOne("SELECT " + USER_COLUMNS + " FROM users u WHERE u.oidc_subject = ?",
            PostgresUserStore::user, subject);
    }

    @Override
    public void linkOidcSubject(String userId, String subject) {
        Objects.requireNonNull(subject, "subject");
        int updated = jdbc.update("UPDATE users SET oidc_subject = ? WHERE id = ?"
            + " AND (oidc_subject IS NULL OR oidc_subject = ?)", subject, userId, subject);
        if (updated == 0) {
            throw new ConflictException("user " + userId + " is linked to another OIDC subject or does not exist");
        }
    }

    @Override
    public User createOidcUser(String subject, String email, String name) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(email, "email");
        var user = new User(Tokens.newId(), email, name == null ? "" : name, false, Jdbc.micros(clock.instant()));
        try {
            jdbc.update("INSERT INTO users (id, email, name, admin, oidc_subject, created_at)"
                + " VALUES (?, ?, ?, false, ?, ?)", user.id(), user.email(), user.name(), subject, user.createdAt());
        } catch (ConflictException e) {
            throw new ConflictException("a user with email '" + email + "' or this OIDC subject already exists", e);
        }
        return user;
    }

    @Override
    public int revokeAllPersonalTokens(String userId) {
        return jdbc.update("UPDATE personal_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
            clock.instant(), userId);
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("email"), rs.getString("name"), rs.getBoolean("admin"),
            Jdbc.instant(rs, "created_at"));
    }

    private static PersonalToken token(ResultSet rs) throws SQLException {
        return new PersonalToken(rs.getString("id"), rs.getString("user_id"), rs.getString("name"),
            Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"));
    }
}
