package io.riffle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.ConflictException;
import io.riffle.core.EnvVar;
import io.riffle.core.Member;
import io.riffle.core.NotFoundException;
import io.riffle.core.RiffleException;
import io.riffle.core.Role;
import io.riffle.core.SecretBox;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Members and roles, secrets at rest, the master key check, OIDC subjects and the audit log. */
class IdentityStoreTest {
    private static StoreFixture fixture;

    @BeforeAll
    static void setUp() {
        fixture = new StoreFixture();
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
    }

    private static String queryString(String sql) {
        try (var c = java.sql.DriverManager.getConnection(fixture.testDatabase.jdbcUrl());
             var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (java.sql.SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    @Test
    void membersAreAddedChangedAndRemovedButTheLastOwnerStays() {
        var spaces = fixture.database.spaces();
        var owner = fixture.user(false);
        var other = fixture.user(false);
        var space = spaces.create("team", owner.id());

        assertThat(spaces.addMember(space.id(), other.id(), Role.VIEWER))
            .isEqualTo(new Member(other.id(), other.email(), other.name(), Role.VIEWER));
        assertThatThrownBy(() -> spaces.addMember(space.id(), other.id(), Role.EDITOR))
            .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> spaces.setRole(space.id(), owner.id(), Role.EDITOR))
            .isInstanceOf(ConflictException.class).hasMessageContaining("at least one owner");
        assertThatThrownBy(() -> spaces.removeMember(space.id(), owner.id()))
            .isInstanceOf(ConflictException.class);

        spaces.setRole(space.id(), other.id(), Role.OWNER);
        spaces.removeMember(space.id(), owner.id());
        assertThat(spaces.members(space.id())).extracting(Member::userId).containsExactly(other.id());
        assertThat(spaces.find(space.id(), owner)).isEmpty();
        assertThatThrownBy(() -> spaces.removeMember(space.id(), owner.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void secretValuesAreSealedAtRestAndReadBack() {
        var secrets = fixture.database.secrets();
        assertThat(secrets.put("API_KEY", "plaintext-value-1234")).isTrue();
        assertThat(secrets.put("API_KEY", "plaintext-value-5678")).isFalse();

        var stored = queryString("SELECT value_enc FROM secrets WHERE key = 'API_KEY'");
        assertThat(stored).startsWith("v1:").doesNotContain("plaintext").doesNotContain("5678");
        assertThat(secrets.value("API_KEY")).isEqualTo("plaintext-value-5678");
        assertThat(secrets.list()).extracting(s -> s.key()).contains("API_KEY");
        assertThat(secrets.environment(List.of(EnvVar.secret("KEY", "API_KEY"), new EnvVar("MODE", "x"))))
            .containsEntry("KEY", "plaintext-value-5678").containsEntry("MODE", "x");

        secrets.delete("API_KEY");
        assertThatThrownBy(() -> secrets.value("API_KEY")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> secrets.delete("API_KEY")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aRestartWithTheSameKeyReadsSecretsAndAWrongKeyIsRefusedAtOpen() {
        fixture.database.secrets().put("DB_PASSWORD", "s3cret");
        var config = DatabaseConfig.of(fixture.testDatabase.jdbcUrl());
        try (var again = Database.open(config, fixture.secrets)) {
            assertThat(again.secrets().value("DB_PASSWORD")).isEqualTo("s3cret");
        }
        var wrong = SecretBox.create(Base64.getDecoder().decode(SecretBox.newKey()));
        assertThatThrownBy(() -> Database.open(config, wrong)).isInstanceOf(RiffleException.class)
            .hasMessageContaining("RIFFLE_MASTER_KEY").hasMessageContaining("not the key");
    }

    @Test
    void secretReferencesAreStoredAsReferences() {
        var owner = fixture.user(false);
        var space = fixture.database.spaces().create("refs", owner.id());
        var stored = fixture.pipeline(space.id());
        var v = fixture.database.pipelines().addVersion(stored.pipeline().id(), "def handler(d, l):\n    return d\n",
            "", List.of(EnvVar.secret("TOKEN", "UPSTREAM_TOKEN"), new EnvVar("MODE", "prod")),
            io.riffle.core.BuildStatus.BUILDING);

        assertThat(fixture.database.pipelines().findVersion(v.pipelineId(), v.version()).orElseThrow().environments())
            .containsExactly(EnvVar.secret("TOKEN", "UPSTREAM_TOKEN"), new EnvVar("MODE", "prod"));
        assertThat(queryString("SELECT environments::text FROM function_versions"
            + " WHERE pipeline_id = '" + v.pipelineId() + "' AND version = " + v.version()))
            .contains("\"secret_ref\"").contains("UPSTREAM_TOKEN");
    }

    @Test
    void oidcUsersAreFoundBySubjectAndLinkedOnce() {
        var users = fixture.database.users();
        var created = users.createOidcUser("auth0|abc", "abc@example.com", "Abc");
        assertThat(users.findByOidcSubject("auth0|abc")).contains(created);
        assertThatThrownBy(() -> users.createOidcUser("auth0|abc", "other@example.com", "X"))
            .isInstanceOf(ConflictException.class);

        var local = fixture.user(false);
        users.linkOidcSubject(local.id(), "auth0|local");
        assertThat(users.findByOidcSubject("auth0|local")).contains(local);
        assertThatThrownBy(() -> users.linkOidcSubject(local.id(), "auth0|else"))
            .isInstanceOf(ConflictException.class);
    }

    @Test
    void passwordHashesAreReadByEmail() {
        var users = fixture.database.users();
        var user = users.createUser("pw@example.com", "Pw", false, "pbkdf2-sha256$1$AA$AA");
        assertThat(users.passwordHash("pw@example.com")).contains("pbkdf2-sha256$1$AA$AA");
        users.setPasswordHash(user.id(), null);
        assertThat(users.passwordHash("pw@example.com")).isEmpty();
        assertThat(users.passwordHash("nobody@example.com")).isEmpty();
    }

    @Test
    void auditEntriesOfASpaceAreListedNewestFirst() {
        var actor = fixture.user(false);
        var audit = fixture.database.audit();
        audit.record(actor, "space.create", "space", "s-1", "s-1", StoreFixture.JSON.createObjectNode().put("n", 1));
        audit.record(actor, "pipeline.create", "pipeline", "p-1", "s-1", null);
        audit.record(null, "secret.create", "secret", "K", null, null);

        var entries = audit.forSpace("s-1", 10);
        assertThat(entries).extracting(e -> e.action()).containsExactly("pipeline.create", "space.create");
        assertThat(entries.get(1).actorEmail()).isEqualTo(actor.email());
        assertThat(entries.get(1).details().path("n").asInt()).isEqualTo(1);
    }
}
