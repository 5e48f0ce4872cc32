package io.riffle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.AuditEntry;
import io.riffle.core.AuditQuery;
import io.riffle.core.NotFoundException;
import io.riffle.core.PendingOidcLogin;
import io.riffle.core.Tokens;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Browser sessions (idle and absolute expiry, logout), OIDC sign-ins in flight, and the audit search. */
class PostgresSessionStoreTest {
    private static final Duration IDLE = Duration.ofMinutes(30);
    private static StoreFixture fixture;

    @BeforeAll
    static void setUp() {
        fixture = new StoreFixture();
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
    }

    private static String newSession(String userId, Duration lifetime) {
        var hash = Tokens.hash(Tokens.newSecret("s_"));
        fixture.database.sessions().create(hash, userId, "csrf-" + hash, "password",
            StoreFixture.now().plus(lifetime));
        return hash;
    }

    @Test
    void aSessionLivesUntilItIdlesOrReachesItsAbsoluteEnd() {
        var sessions = fixture.database.sessions();
        var user = fixture.user(false);
        var hash = newSession(user.id(), Duration.ofHours(8));
        var now = StoreFixture.now();

        var active = sessions.touch(hash, now, IDLE).orElseThrow();
        assertThat(active.user()).isEqualTo(user);
        assertThat(active.session().csrfToken()).isEqualTo("csrf-" + hash);
        assertThat(active.session().via()).isEqualTo("password");

        // 29 minutes later it is still live, and that use moves the idle deadline on
        assertThat(sessions.touch(hash, now.plus(Duration.ofMinutes(29)), IDLE)).isPresent();
        assertThat(sessions.touch(hash, now.plus(Duration.ofMinutes(58)), IDLE)).isPresent();
        // 31 minutes without use: gone
        assertThat(sessions.touch(hash, now.plus(Duration.ofMinutes(89)), IDLE)).isEmpty();

        var busy = newSession(user.id(), Duration.ofMinutes(45));
        assertThat(sessions.touch(busy, now.plus(Duration.ofMinutes(20)), IDLE)).isPresent();
        assertThat(sessions.touch(busy, now.plus(Duration.ofMinutes(40)), IDLE)).isPresent();
        assertThat(sessions.touch(busy, now.plus(Duration.ofMinutes(46)), IDLE)).as("past the absolute end")
            .isEmpty();
        assertThat(sessions.touch(Tokens.hash("unknown"), now, IDLE)).isEmpty();
    }

    @Test
    void logoutEndsOneSessionAndAResetEndsThemAll() {
        var sessions = fixture.database.sessions();
        var user = fixture.user(false);
        var other = fixture.user(false);
        var a = newSession(user.id(), Duration.ofHours(1));
        var b = newSession(user.id(), Duration.ofHours(1));
        var c = newSession(user.id(), Duration.ofHours(1));
        var theirs = newSession(other.id(), Duration.ofHours(1));
        var now = StoreFixture.now();

        assertThat(sessions.revoke(a)).isTrue();
        assertThat(sessions.revoke(a)).isFalse();
        assertThat(sessions.touch(a, now, IDLE)).isEmpty();
        assertThat(sessions.touch(b, now, IDLE)).isPresent();
        assertThat(sessions.revokeAll(user.id())).isEqualTo(2);
        assertThat(sessions.touch(b, now, IDLE)).isEmpty();
        assertThat(sessions.touch(c, now, IDLE)).isEmpty();
        assertThat(sessions.touch(theirs, now, IDLE)).isPresent();
        assertThatThrownBy(() -> newSession("no-such-user", Duration.ofHours(1)))
            .isInstanceOf(NotFoundException.class);
    }

    @Test
    void anOidcSignInCanBeTakenOnceAndOnlyWhileFresh() {
        var sessions = fixture.database.sessions();
        var now = StoreFixture.now();
        var state = Tokens.hash(Tokens.newSecret("st_"));
        sessions.savePending(new PendingOidcLogin(state, "nonce-1", "verifier-1", now));
        assertThat(sessions.takePending(state, now.plus(Duration.ofMinutes(1)))).as("too old").isEmpty();
        assertThat(sessions.takePending(state, now.minusSeconds(600))).as("taken by the stale attempt").isEmpty();

        var fresh = Tokens.hash(Tokens.newSecret("st_"));
        sessions.savePending(new PendingOidcLogin(fresh, "nonce-2", "verifier-2", now));
        var taken = sessions.takePending(fresh, now.minusSeconds(600)).orElseThrow();
        assertThat(taken.nonce()).isEqualTo("nonce-2");
        assertThat(taken.codeVerifier()).isEqualTo("verifier-2");
        assertThat(sessions.takePending(fresh, now.minusSeconds(600))).as("a second time").isEmpty();
    }

    @Test
    void theAuditLogIsSearchedByFiltersAndPaged() {
        var audit = fixture.database.audit();
        var actor = fixture.user(false);
        var space = "space-" + Tokens.newId();
        var before = StoreFixture.now().minusMillis(1);
        for (int i = 0; i < 5; i++) {
            audit.record(actor, "pipeline.create", "pipeline", "p-" + i, space, null);
        }
        audit.record(actor, "pipeline.delete", "pipeline", "p-0", space, null);
        audit.record(actor, "member.create", "member", "m-1", space, null);
        audit.record(null, "secret.create", "secret", "K", null, null);

        var all = audit.search(new AuditQuery(space, null, null, null, null, null, 100));
        assertThat(all).hasSize(7).extracting(AuditEntry::action).first().isEqualTo("member.create");
        assertThat(audit.search(new AuditQuery(space, actor.email().toUpperCase(java.util.Locale.ROOT), "pipeline.",
            null, null, null, 100))).hasSize(6);
        assertThat(audit.search(new AuditQuery(null, actor.id(), "pipeline.delete", null, null, null, 100)))
            .extracting(AuditEntry::targetId).containsExactly("p-0");
        assertThat(audit.search(new AuditQuery(space, null, null, before.plusSeconds(3600), null, null, 100)))
            .as("since an hour from now").isEmpty();
        assertThat(audit.search(new AuditQuery(space, null, null, null, before, null, 100))).as("until before")
            .isEmpty();

        var page1 = audit.search(new AuditQuery(space, null, "pipeline.create", before, null, null, 2));
        var page2 = audit.search(new AuditQuery(space, null, "pipeline.create", before, null,
            page1.getLast().id(), 2));
        var page3 = audit.search(new AuditQuery(space, null, "pipeline.create", before, null,
            page2.getLast().id(), 2));
        assertThat(page1).extracting(AuditEntry::targetId).containsExactly("p-4", "p-3");
        assertThat(page2).extracting(AuditEntry::targetId).containsExactly("p-2", "p-1");
        assertThat(page3).extracting(AuditEntry::targetId).containsExactly("p-0");
    }
}
