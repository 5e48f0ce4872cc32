package io.riffle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.ConflictException;
import io.riffle.core.NotFoundException;
import io.riffle.core.Tokens;
import io.riffle.core.UserStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresUserStoreTest {
    private static StoreFixture fixture;
    private static UserStore users;

    @BeforeAll
    static void setUp() {
        fixture = new StoreFixture();
        users = fixture.database.users();
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
    }

    @Test
    void createdUserIsFoundByIdAndEmail() {
        long before = users.countUsers();
        var user = users.createUser("ada@example.com", "Ada", true, "$argon2id$hash");

        assertThat(users.findUser(user.id())).contains(user);
        assertThat(users.findByEmail("ada@example.com")).contains(user);
        assertThat(users.findByEmail("nobody@example.com")).isEmpty();
        assertThat(users.countUsers()).isEqualTo(before + 1);
    }

    @Test
    void duplicateEmailIsConflict() {
        users.createUser("dup@example.com", "One", false, null);

        assertThatThrownBy(() -> users.createUser("dup@example.com", "Two", false, null))
            .isInstanceOf(ConflictException.class).hasMessageContaining("dup@example.com");
    }

    @Test
    void liveTokenIdentifiesItsUser() {
        var user = fixture.user(false);
        var secret = Tokens.newSecret(Tokens.PERSONAL_PREFIX);
        var now = StoreFixture.now();
        var token = users.createPersonalToken(user.id(), "laptop", Tokens.hash(secret), now.plus(Duration.ofDays(1)));

        assertThat(users.userForPersonalToken(Tokens.hash(secret), now)).contains(user);
        assertThat(users.personalTokens(user.id())).containsExactly(token);
        assertThat(users.userForPersonalToken(Tokens.hash("wrong"), now)).isEmpty();
    }

    @Test
    void tokenWithoutExpiryNeverExpires() {
        var user = fixture.user(false);
        var hash = Tokens.hash(Tokens.newSecret(Tokens.PERSONAL_PREFIX));
        users.createPersonalToken(user.id(), "forever", hash, null);

        assertThat(users.userForPersonalToken(hash, StoreFixture.now().plus(Duration.ofDays(36_500)))).contains(user);
    }

    @Test
    void expiredTokenIsNotAccepted() {
        var user = fixture.user(false);
        var hash = Tokens.hash(Tokens.newSecret(Tokens.PERSONAL_PREFIX));
        var expiry = StoreFixture.now().plus(Duration.ofHours(1));
        users.createPersonalToken(user.id(), "short", hash, expiry);

        assertThat(users.userForPersonalToken(hash, expiry.minusMillis(1))).contains(user);
        assertThat(users.userForPersonalToken(hash, expiry)).isEmpty();
        assertThat(users.userForPersonalToken(hash, expiry.plusSeconds(1))).isEmpty();
    }

    @Test
    void revokedTokenIsNotAccepted() {
        var user = fixture.user(false);
        var hash = Tokens.hash(Tokens.newSecret(Tokens.PERSONAL_PREFIX));
        var token = users.createPersonalToken(user.id(), "old", hash, null);

        users.revokePersonalToken(user.id(), token.id());

        assertThat(users.userForPersonalToken(hash, StoreFixture.now())).isEmpty();
        assertThat(users.personalTokens(user.id())).isEmpty();
        assertThatThrownBy(() -> users.revokePersonalToken(user.id(), token.id()))
            .isInstanceOf(NotFoundException.class);
    }

    @Test
    void tokenOfAnotherUserCannotBeRevoked() {
        var owner = fixture.user(false);
        var other = fixture.user(false);
        var token = users.createPersonalToken(owner.id(), "mine",
            Tokens.hash(Tokens.newSecret(Tokens.PERSONAL_PREFIX)), null);

        assertThatThrownBy(() -> users.revokePersonalToken(other.id(), token.id()))
            .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> users.createPersonalToken("no-such-user", "x", "hash", null))
            .isInstanceOf(NotFoundException.class);
    }
}
