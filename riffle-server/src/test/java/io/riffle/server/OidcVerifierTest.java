package io.riffle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.testkit.TestOidcProvider;
import io.riffle.core.UnauthorizedException;
import io.riffle.core.UnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OidcVerifierTest {
    private static final String AUDIENCE = "https://riffle.example.com/api";
    private static TestOidcProvider issuer;
    private static OidcVerifier verifier;

    @BeforeAll
    static void setUp() {
        issuer = new TestOidcProvider();
        verifier = new OidcVerifier(issuer.issuer(), AUDIENCE, Clock.systemUTC());
    }

    @AfterAll
    static void tearDown() {
        issuer.close();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void validTokenGivesItsClaims() throws Exception {
        var claims = verifier.verify(issuer.token("auth0|alice", AUDIENCE, 300, Map.of("email", "a@example.com")));
        assertThat(claims.getSubject()).isEqualTo("auth0|alice");
        assertThat(claims.getStringClaim("email")).isEqualTo("a@example.com");
    }

    @Test
    void expiredTokenIsRefused() {
        var token = issuer.sign(Map.of("iss", issuer.issuer(), "sub", "x", "aud", AUDIENCE, "exp", now() - 120));
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(UnauthorizedException.class)
            .hasMessageContaining("xpired");
    }

    @Test
    void notYetValidTokenIsRefused() {
        var token = issuer.sign(Map.of("iss", issuer.issuer(), "sub", "x", "aud", AUDIENCE, "exp", now() + 3600,
            "nbf", now() + 600));
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void otherAudienceOrIssuerIsRefused() {
        assertThatThrownBy(() -> verifier.verify(issuer.token("x", "https://other.example.com", 300, Map.of())))
            .isInstanceOf(UnauthorizedException.class).hasMessageContaining("aud");
        var foreign = issuer.sign(Map.of("iss", "https://evil.example.com/", "sub", "x", "aud", AUDIENCE,
            "exp", now() + 300));
        assertThatThrownBy(() -> verifier.verify(foreign)).isInstanceOf(UnauthorizedException.class)
            .hasMessageContaining("iss");
    }

    @Test
    void forgedSignatureIsRefused() {
        var forged = issuer.signWithUnknownKey(Map.of("iss", issuer.issuer(), "sub", "x", "aud", AUDIENCE,
            "exp", now() + 300));
        assertThatThrownBy(() -> verifier.verify(forged)).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void tokenWithoutSubjectOrExpiryIsRefused() {
        var token = issuer.sign(Map.of("iss", issuer.issuer(), "aud", AUDIENCE, "exp", now() + 300));
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(UnauthorizedException.class);
        var forever = issuer.sign(Map.of("iss", issuer.issuer(), "sub", "x", "aud", AUDIENCE));
        assertThatThrownBy(() -> verifier.verify(forever)).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void garbageIsRefused() {
        assertThatThrownBy(() -> verifier.verify("eyJhbGciOiJub25lIn0.e30.")).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> verifier.verify("eyJ.x.y")).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void aRotatedKeyIsFetchedOnItsFirstUse() throws Exception {
        var clock = new ManualClock();
        var own = new OidcVerifier(issuer.issuer(), AUDIENCE, clock);
        own.verify(issuer.token("before", AUDIENCE, 300, Map.of()));
        int fetches = issuer.jwksFetches();
        issuer.rotate();
        clock.advance(OidcVerifier.MIN_REFETCH);
        assertThat(own.verify(issuer.token("after", AUDIENCE, 300, Map.of())).getSubject()).isEqualTo("after");
        assertThat(issuer.jwksFetches()).isEqualTo(fetches + 1);
    }

    @Test
    void unreachableIssuerIsUnavailableNotUnauthorized() {
        var dead = new OidcVerifier("http://127.0.0.1:1/", AUDIENCE, Clock.systemUTC());
        var token = issuer.token("x", AUDIENCE, 300, Map.of());
        assertThatThrownBy(() -> dead.verify(token)).isInstanceOf(UnavailableException.class);
    }

    @Test
    void onlyJwtShapedBearersGoToOidc() {
        assertThat(OidcVerifier.looksLikeJwt(issuer.token("x", AUDIENCE, 60, Map.of()))).isTrue();
        assertThat(OidcVerifier.looksLikeJwt("rfl_pat_abc")).isFalse();
        assertThat(List.of("eyJa.b", "eyJa.b.c.d")).noneMatch(OidcVerifier::looksLikeJwt);
    }

    private static Map<String, Object> idClaims(String aud, String nonce, long exp) {
        var claims = new java.util.HashMap<String, Object>(Map.of("iss", issuer.issuer(), "sub", "auth0|ada",
            "aud", aud, "iat", now(), "exp", exp));
        if (nonce != null) {
            claims.put("nonce", nonce);
        }
        return claims;
    }

    @Test
    void anIdTokenMustBeForThisClientWithTheNonceOfTheSignIn() throws Exception {
        var good = verifier.verifyIdToken(issuer.sign(idClaims("riffle-web", "n-1", now() + 300)), "riffle-web",
            "n-1");
        assertThat(good.getSubject()).isEqualTo("auth0|ada");
        assertThatThrownBy(() -> verifier.verifyIdToken(issuer.sign(idClaims("riffle-web", "n-2", now() + 300)),
            "riffle-web", "n-1")).isInstanceOf(UnauthorizedException.class).hasMessageContaining("nonce");
        assertThatThrownBy(() -> verifier.verifyIdToken(issuer.sign(idClaims("riffle-web", null, now() + 300)),
            "riffle-web", "n-1")).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> verifier.verifyIdToken(issuer.sign(idClaims("other-client", "n-1", now() + 300)),
            "riffle-web", "n-1")).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> verifier.verifyIdToken(issuer.sign(idClaims("riffle-web", "n-1", now() - 120)),
            "riffle-web", "n-1")).isInstanceOf(UnauthorizedException.class).hasMessageContaining("xpired");
        assertThatThrownBy(() -> verifier.verifyIdToken(issuer.signWithUnknownKey(idClaims("riffle-web", "n-1",
            now() + 300)), "riffle-web", "n-1")).isInstanceOf(UnauthorizedException.class);
        var several = idClaims("riffle-web", "n-1", now() + 300);
        several.put("aud", List.of("riffle-web", "another"));
        several.put("azp", "another");
        assertThatThrownBy(() -> verifier.verifyIdToken(issuer.sign(several), "riffle-web", "n-1"))
            .isInstanceOf(UnauthorizedException.class).hasMessageContaining("azp");
    }

    @Test
    void theDiscoveryDocumentNamesTheFlowsEndpoints() {
        var discovery = verifier.discovery();
        assertThat(discovery.authorizationEndpoint()).hasToString(issuer.issuer() + "authorize");
        assertThat(discovery.tokenEndpoint()).hasToString(issuer.issuer() + "oauth/token");
        assertThat(discovery.deviceAuthorizationEndpoint()).hasToString(issuer.issuer() + "oauth/device/code");
    }
}
