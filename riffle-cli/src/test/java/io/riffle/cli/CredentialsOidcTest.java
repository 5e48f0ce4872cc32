package io.riffle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An OIDC login in a profile: used while fresh, renewed near its end, and "log in again" when it cannot be. */
class CredentialsOidcTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String ENDPOINT = "https://idp.example.com/oauth/token";

    @TempDir
    Path home;

    private final List<String> refreshed = new ArrayList<>();

    private Credentials credentials(Credentials.Renewer renewer) {
        return new Credentials(Map.of("RIFFLE_CONFIG_DIR", home.resolve("cfg").toString()), home,
            Clock.fixed(NOW, ZoneOffset.UTC), renewer);
    }

    private Credentials.Renewer renewing() {
        return (endpoint, client, refresh) -> {
            refreshed.add(refresh);
            return new OidcDeviceLogin.Granted("access-2", "refresh-2", NOW.plusSeconds(3600), endpoint, client);
        };
    }

    private static Credentials.Profile oidc(Instant expiresAt, String refresh) {
        return new Credentials.Profile("https://riffle.example.com", "access-1",
            new Credentials.OidcLogin(expiresAt, refresh, ENDPOINT, "riffle-cli"));
    }

    @Test
    void aFreshTokenIsUsedAsItIs() {
        var c = credentials(renewing());
        c.save("default", oidc(NOW.plusSeconds(600), "refresh-1"));
        assertThat(c.resolve(null, null, null).token()).isEqualTo("access-1");
        assertThat(refreshed).isEmpty();
    }

    @Test
    void aTokenNearItsEndIsRenewedAndStoredWithMode0600() throws Exception {
        var c = credentials(renewing());
        c.save("default", oidc(NOW.plusSeconds(10), "refresh-1"));
        assertThat(c.resolve(null, null, null).token()).isEqualTo("access-2");
        assertThat(refreshed).containsExactly("refresh-1");
        var stored = c.profile("default");
        assertThat(stored.token()).isEqualTo("access-2");
        assertThat(stored.oidc().refreshToken()).isEqualTo("refresh-2");
        assertThat(stored.oidc().expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.file()))).isEqualTo("rw-------");
    }

    @Test
    void anExpiredLoginWithoutRefreshTokenOrARefusedRefreshAsksToLogInAgain() {
        var c = credentials(renewing());
        c.save("work", oidc(NOW.minusSeconds(5), null));
        assertThatThrownBy(() -> c.resolve(null, null, "work")).isInstanceOf(CliException.class)
            .hasMessageContaining("expired").hasMessageContaining("riffle login --server https://riffle.example.com"
                + " --oidc --profile work");

        var refusing = credentials((endpoint, client, refresh) -> {
            throw new CliException("the provider refused to refresh the login (invalid_grant)");
        });
        refusing.save("default", oidc(NOW.minusSeconds(5), "revoked"));
        assertThatThrownBy(() -> refusing.resolve(null, null, null)).hasMessageContaining("invalid_grant")
            .hasMessageContaining("log in again");
    }

    @Test
    void aPersonalTokenProfileHasNoOidcPart() {
        var c = credentials(renewing());
        c.save("default", new Credentials.Profile("https://riffle.example.com", "rfl_pat_x"));
        assertThat(c.profile("default").oidc()).isNull();
        assertThat(c.resolve(null, null, null).token()).isEqualTo("rfl_pat_x");
    }
}
