package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import io.riffle.testkit.TestOidcProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sign-in with an OpenID provider, the way Auth0 is plugged in: Riffle started with {@code RIFFLE_OIDC_ISSUER} and
 * {@code RIFFLE_OIDC_AUDIENCE} against a provider on HTTP (discovery, JWKS, RS256 access tokens), and the data-plane
 * rate limit of this process set low.
 */
@Timeout(300)
class OidcIT {
    private static final String AUDIENCE = "https://riffle.test/api";
    private static TestOidcProvider issuer;
    private static RiffleProcess riffle;
    private static Api admin;

    @BeforeAll
    static void start() {
        issuer = new TestOidcProvider();
        riffle = RiffleProcess.embedded(Map.of("RIFFLE_OIDC_ISSUER", issuer.issuer(), "RIFFLE_OIDC_AUDIENCE", AUDIENCE,
            "RIFFLE_RATE_LIMIT_PER_SECOND", "1", "RIFFLE_RATE_LIMIT_BURST", "2")).start();
        admin = Api.of(riffle);
    }

    @AfterAll
    static void stop() {
        if (riffle != null) {
            riffle.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    private static Api.Response get(String path, String jwt) {
        return admin.send("GET", path, Map.of("Authorization", "Bearer " + jwt, "Accept", "application/json"),
            java.net.http.HttpRequest.BodyPublishers.noBody());
    }

    private static Api.Response post(String path, String jwt, Object body) {
        return admin.send("POST", path, Map.of("Authorization", "Bearer " + jwt, "Content-Type", "application/json"),
            java.net.http.HttpRequest.BodyPublishers.ofString(Api.text(body)));
    }

    @Test
    void firstSignInCreatesAnOrdinaryUserWhoCanWork() {
        var sub = "auth0|" + UUID.randomUUID();
        var jwt = issuer.token(sub, AUDIENCE, 300, Map.of("email", "Ada@Example.com", "email_verified", true,
            "name", "Ada"));
        var profile = get("/v1/profile", jwt).expect(200).json();
        assertThat(profile.path("email").asText()).isEqualTo("Ada@Example.com");
        assertThat(profile.path("admin").asBoolean()).isFalse();
        assertThat(get("/v1/profile", issuer.token(sub, AUDIENCE, 300, Map.of())).expect(200).json().path("id")
            .asText()).isEqualTo(profile.path("id").asText());

        assertThat(get("/v1/spaces", jwt).expect(200).json().path("total_amount").asInt()).isZero();
        var space = post("/v1/spaces", jwt, Map.of("name", "ada's")).expect(200).json().path("id").asText();
        assertThat(get("/v1/spaces", jwt).expect(200).json().path("spaces").get(0).path("permission").asText())
            .isEqualTo("owner");
        Api.assertProblem(get("/v1/admin/routes", jwt), 403);
        // the admin's personal token keeps working next to OIDC
        admin.get("/v1/spaces/" + space + "/members").expect(200);
    }

    @Test
    void aVerifiedEmailSignsInAsTheExistingLocalUserAndAnUnverifiedOneDoesNot() {
        var local = admin.post("/v1/users", Map.of("email", "grace@example.com", "name", "Grace")).expect(201).json();
        var unverified = issuer.token("auth0|mallory", AUDIENCE, 300, Map.of("email", "grace@example.com"));
        assertThat(get("/v1/profile", unverified).expect(200).json().path("id").asText())
            .isNotEqualTo(local.path("id").asText());
        var verified = issuer.token("auth0|grace", AUDIENCE, 300, Map.of("email", "grace@example.com",
            "email_verified", true));
        assertThat(get("/v1/profile", verified).expect(200).json().path("id").asText())
            .isEqualTo(local.path("id").asText());
    }

    @Test
    void expiredForeignAndForgedTokensAreRefused() {
        long now = System.currentTimeMillis() / 1000;
        var expired = issuer.sign(Map.of("iss", issuer.issuer(), "sub", "auth0|late", "aud", AUDIENCE,
            "exp", now - 300));
        Api.assertProblem(get("/v1/profile", expired), 401);
        Api.assertProblem(get("/v1/profile", issuer.token("auth0|x", "https://other.api", 300, Map.of())), 401);
        var foreign = issuer.sign(Map.of("iss", "https://evil.example.com/", "sub", "auth0|x", "aud", AUDIENCE,
            "exp", now + 300));
        Api.assertProblem(get("/v1/profile", foreign), 401);
        var forged = issuer.signWithUnknownKey(Map.of("iss", issuer.issuer(), "sub", "auth0|x", "aud", AUDIENCE,
            "exp", now + 300));
        Api.assertProblem(get("/v1/profile", forged), 401);
    }

    @Test
    void aRotatedSigningKeyIsPickedUpOnItsFirstToken() {
        get("/v1/profile", issuer.token("auth0|rotate", AUDIENCE, 300, Map.of())).expect(200);
        int fetches = issuer.jwksFetches();
        issuer.rotate();
        Await.sleep(java.time.Duration.ofMillis(1100)); // Riffle refetches a JWKS at most once a second
        get("/v1/profile", issuer.token("auth0|rotate", AUDIENCE, 300, Map.of())).expect(200);
        assertThat(issuer.jwksFetches()).isEqualTo(fetches + 1);
    }

    @Test
    void dataPlaneCallsBeyondTheTokensRateAnswer429WithRetryAfter() {
        var space = admin.createSpace("limited");
        var p = admin.createPipeline(space, "limited", "def handler(data, log):\n    return data\n", Map.of());
        admin.publish(p, Map.of("n", 1)).expect(200);
        admin.publish(p, Map.of("n", 2)).expect(200);
        var limited = admin.publish(p, Map.of("n", 3));
        Api.assertProblem(limited, 429);
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        // a wrong token is refused as such, not rate limited
        Api.assertProblem(admin.data("POST", p.path("/topics/input/events"), "rfl_pipe_wrong", "{}"), 401);
    }
}
