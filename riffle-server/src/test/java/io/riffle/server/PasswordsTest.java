package io.riffle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.InvalidInputException;
import io.riffle.core.Passwords;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The password KDF of {@link Passwords} (riffle-core), as the login route uses it. */
class PasswordsTest {
    @Test
    void hashCarriesItsParametersAndASixteenByteSalt() {
        var hash = Passwords.hash("correct horse battery");
        var parts = hash.split("\\$");
        assertThat(parts).hasSize(4);
        assertThat(parts[0]).isEqualTo("pbkdf2-sha256");
        assertThat(Integer.parseInt(parts[1])).isGreaterThanOrEqualTo(210_000);
        assertThat(Base64.getDecoder().decode(parts[2])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[3])).hasSize(32);
        assertThat(hash).doesNotContain("correct horse");
    }

    @Test
    void verifiesTheRightPasswordOnly() {
        var hash = Passwords.hash("correct horse battery");
        assertThat(Passwords.verify("correct horse battery", hash)).isTrue();
        assertThat(Passwords.verify("correct horse batterY", hash)).isFalse();
        assertThat(Passwords.verify("", hash)).isFalse();
        assertThat(Passwords.needsRehash(hash)).isFalse();
    }

    @Test
    void samePasswordGetsDifferentSalts() {
        assertThat(Passwords.hash("same password")).isNotEqualTo(Passwords.hash("same password"));
    }

    @Test
    void missingOrMalformedHashesNeverVerify() {
        assertThat(Passwords.verify("anything", null)).isFalse();
        assertThat(Passwords.verify("anything", "plain")).isFalse();
        assertThat(Passwords.verify("anything", "pbkdf2-sha256$x$y$z")).isFalse();
    }

    @Test
    void shortPasswordsAreRefused() {
        assertThatThrownBy(() -> Passwords.hash("short")).isInstanceOf(InvalidInputException.class);
    }
}
