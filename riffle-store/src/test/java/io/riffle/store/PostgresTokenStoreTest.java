package io.riffle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.NotFoundException;
import io.riffle.core.TokenStore;
import io.riffle.core.Tokens;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresTokenStoreTest {
    private static StoreFixture fixture;
    private static TokenStore tokens;
    private static String spaceId;

    @BeforeAll
    static void setUp() {
        fixture = new StoreFixture();
        tokens = fixture.database.tokens();
        spaceId = fixture.database.spaces().create("space", fixture.user(false).id()).id();
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
    }

    @Test
    void tokenIsEncryptedAtRestAndListedInPlaintext() throws Exception {
        var pipelineId = fixture.pipeline(spaceId).pipeline().id();
        var token = tokens.createPipelineToken(pipelineId, "ci");

        assertThat(token.token()).startsWith(Tokens.PIPELINE_PREFIX);
        var stored = storedColumns(token.id());
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0)).startsWith("v1:").doesNotContain(token.token());
        assertThat(stored.get(1)).isEqualTo(Tokens.hash(token.token()));
        assertThat(tokens.pipelineTokens(pipelineId)).last().isEqualTo(token);
    }

    @Test
    void tokenFindsItsPipeline() {
        var stored = fixture.pipeline(spaceId);
        var second = tokens.createPipelineToken(stored.pipeline().id(), "second");

        assertThat(tokens.pipelineForToken(stored.token().token())).contains(stored.pipeline().id());
        assertThat(tokens.pipelineForToken(second.token())).contains(stored.pipeline().id());
        assertThat(tokens.pipelineForToken(Tokens.newSecret(Tokens.PIPELINE_PREFIX))).isEmpty();
        assertThat(tokens.pipelineForToken("")).isEmpty();
    }

    @Test
    void revokedTokenNoLongerWorks() {
        var stored = fixture.pipeline(spaceId);
        var pipelineId = stored.pipeline().id();
        var extra = tokens.createPipelineToken(pipelineId, "extra");

        tokens.revokePipelineToken(pipelineId, extra.id());

        assertThat(tokens.pipelineForToken(extra.token())).isEmpty();
        assertThat(tokens.pipelineTokens(pipelineId)).containsExactly(stored.token());
        assertThatThrownBy(() -> tokens.revokePipelineToken(pipelineId, extra.id()))
            .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> tokens.renamePipelineToken(pipelineId, extra.id(), "again"))
            .isInstanceOf(NotFoundException.class);
    }

    @Test
    void renameKeepsTheSecret() {
        var stored = fixture.pipeline(spaceId);
        var pipelineId = stored.pipeline().id();

        var renamed = tokens.renamePipelineToken(pipelineId, stored.token().id(), "production");

        assertThat(renamed.name()).isEqualTo("production");
        assertThat(renamed.token()).isEqualTo(stored.token().token());
        assertThat(tokens.pipelineTokens(pipelineId)).containsExactly(renamed);
    }

    @Test
    void tokenOfAnotherPipelineIsNotFound() {
        var one = fixture.pipeline(spaceId);
        var other = fixture.pipeline(spaceId);

        assertThatThrownBy(() -> tokens.renamePipelineToken(other.pipeline().id(), one.token().id(), "x"))
            .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> tokens.revokePipelineToken(other.pipeline().id(), one.token().id()))
            .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> tokens.createPipelineToken("no-such-pipeline", "x"))
            .isInstanceOf(NotFoundException.class);
    }

    private static List<String> storedColumns(String tokenId) throws Exception {
        try (var c = DriverManager.getConnection(fixture.testDatabase.jdbcUrl());
             var ps = c.prepareStatement("SELECT token_enc, token_hash FROM pipeline_tokens WHERE id = ?")) {
            ps.setString(1, tokenId);
            try (var rs = ps.executeQuery()) {
                var out = new ArrayList<String>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                    out.add(rs.getString(2));
                }
                return out;
            }
        }
    }
}
