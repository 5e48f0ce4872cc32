package io.riffle.store;

import io.riffle.core.NotFoundException;
import io.riffle.core.PipelineToken;
import io.riffle.core.SecretBox;
import io.riffle.core.TokenStore;
import io.riffle.core.Tokens;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link TokenStore} over {@code pipeline_tokens}: each token is kept twice, sealed with the {@link SecretBox} (so
 * listings can show it again) and as {@link Tokens#hash(String)} (so requests are authenticated by an index lookup).
 */
final class PostgresTokenStore implements TokenStore {
    private static final String COLUMNS = "id, pipeline_id, name, token_enc, created_at";

    private final Jdbc jdbc;
    private final SecretBox secrets;
    private final Clock clock;

    PostgresTokenStore(Jdbc jdbc, SecretBox secrets, Clock clock) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public PipelineToken createPipelineToken(String pipelineId, String name) {
        Objects.requireNonNull(name, "name");
        var token = new PipelineToken(Tokens.newId(), pipelineId, name, Tokens.newSecret(Tokens.PIPELINE_PREFIX),
            Jdbc.micros(clock.instant()));
        return jdbc.inTransaction(c -> {
            if (Jdbc.queryOne(c, "SELECT 1 FROM pipelines WHERE id = ?", rs -> 1, pipelineId).isEmpty()) {
                throw new NotFoundException("pipeline " + pipelineId + " not found");
            }
            insert(c, secrets, token);
            return token;
        });
    }

    @Override
    public List<PipelineToken> pipelineTokens(String pipelineId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM pipeline_tokens WHERE pipeline_id = ? AND revoked_at IS NULL"
            + " ORDER BY created_at, id", this::token, pipelineId);
    }

    @Override
    public Optional<String> pipelineForToken(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.queryOne("SELECT pipeline_id FROM pipeline_tokens WHERE token_hash = ? AND revoked_at IS NULL",
            rs -> rs.getString(1), Tokens.hash(token));
    }

    @Override
    public PipelineToken renamePipelineToken(String pipelineId, String tokenId, String name) {
        Objects.requireNonNull(name, "name");
        return jdbc.queryOne("UPDATE pipeline_tokens SET name = ? WHERE id = ? AND pipeline_id = ?"
                + " AND revoked_at IS NULL RETURNING " + COLUMNS, this::token, name, tokenId, pipelineId)
            .orElseThrow(() -> missing(pipelineId, tokenId));
    }

    @Override
    public void revokePipelineToken(String pipelineId, String tokenId) {
        int updated = jdbc.update("UPDATE pipeline_tokens SET revoked_at = ? WHERE id = ? AND pipeline_id = ?"
            + " AND revoked_at IS NULL", clock.instant(), tokenId, pipelineId);
        if (updated == 0) {
            throw missing(pipelineId, tokenId);
        }
    }

    /** Inserts a token (plaintext in {@code token.token()}) sealed and hashed; shared with pipeline creation. */
    static void insert(Connection c, SecretBox secrets, PipelineToken token) throws SQLException {
        Objects.requireNonNull(token.token(), "token");
        Jdbc.update(c, "INSERT INTO pipeline_tokens (id, pipeline_id, name, token_enc, token_hash, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", token.id(), token.pipelineId(), token.name(),
            secrets.encrypt(token.token()), Tokens.hash(token.token()), token.createdAt());
    }

    private PipelineToken token(ResultSet rs) throws SQLException {
        return new PipelineToken(rs.getString("id"), rs.getString("pipeline_id"), rs.getString("name"),
            secrets.decrypt(rs.getString("token_enc")), Jdbc.instant(rs, "created_at"));
    }

    private static NotFoundException missing(String pipelineId, String tokenId) {
        return new NotFoundException("pipeline " + pipelineId + " has no token " + tokenId);
    }
}
