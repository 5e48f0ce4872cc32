package io.riffle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OidcLoginConfigTest {
    @Test
    void aWebClientNeedsTheCallbackUrl() {
        assertThatThrownBy(() -> new OidcLoginConfig("web", null, null, null, OidcLoginConfig.DEFAULT_SCOPES))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("RIFFLE_OIDC_REDIRECT_URL");
        assertThatThrownBy(() -> new OidcLoginConfig("web", null, "https://riffle.example.com/callback", null,
            OidcLoginConfig.DEFAULT_SCOPES)).hasMessageContaining("/v1/auth/oidc/callback")
            .hasMessageContaining("https://riffle.example.com/callback");
        assertThatThrownBy(() -> new OidcLoginConfig(null, null, null, "cli", "profile email"))
            .hasMessageContaining("openid");
        var ok = new OidcLoginConfig("web", "s3cret-value", "https://riffle.example.com/v1/auth/oidc/callback", "cli",
            OidcLoginConfig.DEFAULT_SCOPES);
        assertThat(ok.web()).isTrue();
        assertThat(ok.cli()).isTrue();
        assertThat(ok.toString()).doesNotContain("s3cret-value");
    }

    @Test
    void clientsNeedAnIssuerAndSessionsSaneLifetimes() {
        var web = new OidcLoginConfig("web", null, "http://localhost:8080/v1/auth/oidc/callback", null,
            OidcLoginConfig.DEFAULT_SCOPES);
        assertThatThrownBy(() -> new IdentityConfig(1, 1, null, null, Duration.ofDays(1), SessionConfig.DEFAULTS, web))
            .hasMessageContaining("RIFFLE_OIDC_ISSUER");
        assertThatThrownBy(() -> new SessionConfig(Duration.ofHours(2), Duration.ofHours(1)))
            .hasMessageContaining("RIFFLE_SESSION_MAX_HOURS");
        assertThatThrownBy(() -> new SessionConfig(Duration.ofSeconds(5), Duration.ofHours(1)))
            .hasMessageContaining("RIFFLE_SESSION_IDLE_MINUTES");
    }

    @Test
    void thePkceChallengeIsTheS256OfTheVerifier() {
        // RFC 7636, appendix B
        assertThat(OidcLoginRoutes.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
            .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assertThat(OidcLoginRoutes.random()).hasSize(43).isNotEqualTo(OidcLoginRoutes.random());
    }
}
