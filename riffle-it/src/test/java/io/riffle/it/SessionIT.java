package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Browser sessions over HTTP as a browser would hold them: the cookie's attributes, the CSRF token that
 * state-changing calls with the cookie must carry (and calls with a token header need not), and sign-out; and the
 * administrators' password reset (which ends those sessions) and installation-wide audit log.
 */
@Timeout(300)
class SessionIT {
    private static final String PASSWORD = "correct horse battery";
    private static RiffleProcess riffle;
    private static Api admin;

    @BeforeAll
    static void start() {
        riffle = RiffleProcess.embedded(Map.of()).start();
        admin = Api.of(riffle);
    }

    @AfterAll
    static void stop() {
        if (riffle != null) {
            riffle.close();
        }
    }

    private static String newUser() {
        var email = "s-" + UUID.randomUUID() + "@example.com";
        admin.post("/v1/users", Map.of("email", email, "name", "S", "password", PASSWORD)).expect(201);
        return email;
    }

    private static Api.Response signIn(String email, Map<String, String> extra) {
        var h = new HashMap<>(Map.of("Content-Type", "application/json"));
        h.putAll(extra);
        return admin.send("POST", "/v1/auth/session", h, BodyPublishers.ofString(Api.text(Map.of("email", email,
            "password", PASSWORD))));
    }

    private static String cookieValue(Api.Response r) {
        var header = r.headers().firstValue("Set-Cookie").orElseThrow();
        return header.substring(header.indexOf('=') + 1, header.indexOf(';'));
    }

    private static Api.Response call(String method, String path, String cookie, String csrf, Object body) {
        var h = new HashMap<String, String>();
        h.put("Cookie", "riffle_session=" + cookie);
        h.put("Content-Type", "application/json");
        if (csrf != null) {
            h.put("X-CSRF-Token", csrf);
        }
        return admin.send(method, path, h, body == null ? BodyPublishers.noBody()
            : BodyPublishers.ofString(Api.text(body)));
    }

    @Test
    void theSessionCookieIsHttpOnlyLaxAndSecureOnlyBehindTls() {
        var email = newUser();
        var plain = signIn(email, Map.of()).expect(201);
        var header = plain.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(header).startsWith("riffle_session=rfl_ses_").contains("; Path=/", "; HttpOnly", "; SameSite=Lax")
            .doesNotContain("Secure").doesNotContain("Max-Age");
        assertThat(plain.body()).doesNotContain(cookieValue(plain));
        assertThat(plain.json().path("user").path("email").asText()).isEqualTo(email);
        assertThat(plain.json().path("csrf_token").asText()).hasSizeGreaterThan(30);
        assertThat(plain.headers().firstValue("Cache-Control")).hasValue("no-store");

        var proxied = signIn(email, Map.of("X-Forwarded-Proto", "https")).expect(201);
        assertThat(proxied.headers().firstValue("Set-Cookie").orElseThrow()).contains("; HttpOnly", "; Secure",
            "; SameSite=Lax");
        assertThat(cookieValue(proxied)).isNotEqualTo(cookieValue(plain));

        // a sign-in by a cross-site form (not JSON) is refused
        Api.assertProblem(admin.send("POST", "/v1/auth/session", Map.of("Content-Type",
            "application/x-www-form-urlencoded"), BodyPublishers.ofString("email=" + email + "&password=x")), 400);
        Api.assertProblem(admin.send("POST", "/v1/auth/session", Map.of("Content-Type", "application/json"),
            BodyPublishers.ofString(Api.text(Map.of("email", email, "password", "wrong password")))), 401);
    }

    @Test
    void changesWithTheCookieNeedTheCsrfTokenAndReadsDoNot() {
        var email = newUser();
        var opened = signIn(email, Map.of()).expect(201);
        var cookie = cookieValue(opened);
        var csrf = opened.json().path("csrf_token").asText();

        assertThat(call("GET", "/v1/profile", cookie, null, null).expect(200).json().path("email").asText())
            .isEqualTo(email);
        assertThat(call("GET", "/v1/auth/session", cookie, null, null).expect(200).json().path("csrf_token")
            .asText()).isEqualTo(csrf);

        var missing = call("POST", "/v1/spaces", cookie, null, Map.of("name", "csrf-less"));
        Api.assertProblem(missing, 403);
        assertThat(missing.body()).contains("X-CSRF-Token");
        Api.assertProblem(call("POST", "/v1/spaces", cookie, csrf + "x", Map.of("name", "forged")), 403);
        Api.assertProblem(call("DELETE", "/v1/auth/session", cookie, null, null), 403);
        assertThat(call("GET", "/v1/spaces", cookie, null, null).expect(200).json().path("total_amount").asInt())
            .as("refused changes changed nothing").isZero();

        var space = call("POST", "/v1/spaces", cookie, csrf, Map.of("name", "with-csrf")).expect(200).json();
        assertThat(space.path("name").asText()).isEqualTo("with-csrf");
        // a personal access token in a header needs no CSRF token, even next to a cookie
        var token = call("POST", "/v1/personal_access_tokens", cookie, csrf, Map.of("name", "cli")).expect(200)
            .json().path("token").asText();
        var withToken = admin.send("POST", "/v1/spaces", Map.of("Personal-Access-Token", token, "Cookie",
            "riffle_session=" + cookie, "Content-Type", "application/json"),
            BodyPublishers.ofString(Api.text(Map.of("name", "by-token"))));
        withToken.expect(200);
        assertThat(call("GET", "/v1/spaces", cookie, null, null).expect(200).json().path("total_amount").asInt())
            .isEqualTo(2);
    }

    @Test
    void signingOutEndsTheSessionOnTheServer() {
        var email = newUser();
        var opened = signIn(email, Map.of()).expect(201);
        var cookie = cookieValue(opened);
        var csrf = opened.json().path("csrf_token").asText();
        var other = signIn(email, Map.of()).expect(201);

        var out = call("DELETE", "/v1/auth/session", cookie, csrf, null);
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("riffle_session=;")
            .contains("Max-Age=0");
        var after = call("GET", "/v1/profile", cookie, null, null);
        Api.assertProblem(after, 401);
        assertThat(after.body()).contains("session has ended");
        Api.assertProblem(call("GET", "/v1/auth/session", cookie, null, null), 401);
        Api.assertProblem(call("DELETE", "/v1/auth/session", cookie, csrf, null), 401);
        // the other browser's session is its own
        call("GET", "/v1/profile", cookieValue(other), null, null).expect(200);
        Api.assertProblem(call("GET", "/v1/profile", "rfl_ses_" + "x".repeat(40), null, null), 401);
    }

    @Test
    void aPastedTokenOpensASessionAndTheConfigSaysHowToSignIn() {
        var opened = admin.send("POST", "/v1/auth/session", Map.of("Personal-Access-Token", riffle.adminToken()),
            BodyPublishers.noBody()).expect(201);
        assertThat(opened.json().path("via").asText()).isEqualTo("token");
        assertThat(opened.json().path("user").path("admin").asBoolean()).isTrue();
        Api.assertProblem(admin.send("POST", "/v1/auth/session", Map.of("Personal-Access-Token",
            "rfl_pat_" + "x".repeat(40)), BodyPublishers.noBody()), 401);
        var config = admin.send("GET", "/v1/auth/config", Map.of(), BodyPublishers.noBody()).expect(200).json();
        assertThat(config.path("password_login").asBoolean()).isTrue();
        assertThat(config.path("oidc").isNull()).isTrue();
    }

    @Test
    void anAdminPasswordResetEndsTheUsersSessionsAndTokens() {
        var email = newUser();
        var opened = signIn(email, Map.of()).expect(201);
        var cookie = cookieValue(opened);
        var csrf = opened.json().path("csrf_token").asText();
        var token = call("POST", "/v1/personal_access_tokens", cookie, csrf, Map.of("name", "laptop")).expect(200)
            .json().path("token").asText();
        var userId = opened.json().path("user").path("id").asText();

        Api.assertProblem(admin.post("/v1/admin/users/" + userId + "/password", Map.of("password", "short")), 400);
        Api.assertProblem(admin.post("/v1/admin/users/nope/password", Map.of("password", "long enough")), 404);
        var reset = admin.post("/v1/admin/users/" + userId + "/password", Map.of("password", "a new password 2"))
            .expect(200).json();
        assertThat(reset.path("revoked_tokens").asInt()).isEqualTo(1);
        assertThat(reset.path("revoked_sessions").asInt()).isEqualTo(1);

        Api.assertProblem(call("GET", "/v1/profile", cookie, null, null), 401);
        Api.assertProblem(new Api(riffle.baseUrl(), token).get("/v1/profile"), 401);
        Api.assertProblem(signIn(email, Map.of()), 401); // the old password
        admin.send("POST", "/v1/auth/session", Map.of("Content-Type", "application/json"),
            BodyPublishers.ofString(Api.text(Map.of("email", email, "password", "a new password 2")))).expect(201);
        var users = admin.get("/v1/admin/users").expect(200).json().path("users");
        assertThat(users.findValuesAsText("email")).contains(email, "admin@localhost");
    }

    @Test
    void theInstallationAuditLogIsFilteredAndPagedForAdmins() {
        var email = newUser();
        var opened = signIn(email, Map.of()).expect(201);
        var cookie = cookieValue(opened);
        var csrf = opened.json().path("csrf_token").asText();
        var userId = opened.json().path("user").path("id").asText();
        for (int i = 0; i < 3; i++) {
            call("POST", "/v1/spaces", cookie, csrf, Map.of("name", "audited-" + i)).expect(200);
        }
        var space = call("GET", "/v1/spaces", cookie, null, null).expect(200).json().path("spaces").get(0)
            .path("id").asText();

        var mine = admin.get("/v1/admin/audit?actor=" + email).expect(200).json();
        assertThat(mine.path("entries").findValuesAsText("action")).containsExactly("space.create", "space.create",
            "space.create", "login");
        assertThat(mine.path("next_page_token").isNull()).isTrue();
        var page1 = admin.get("/v1/admin/audit?actor=" + userId + "&action=space.&limit=2").expect(200).json();
        assertThat(page1.path("entries")).hasSize(2);
        var page2 = admin.get("/v1/admin/audit?actor=" + userId + "&action=space.&limit=2&page_token="
            + page1.path("next_page_token").asText()).expect(200).json();
        assertThat(page2.path("entries")).hasSize(1);
        assertThat(admin.get("/v1/admin/audit?space_id=" + space).expect(200).json().path("entries")
            .findValuesAsText("target_id")).containsOnly(space);
        var future = java.time.Instant.now().plusSeconds(3600);
        assertThat(admin.get("/v1/admin/audit?actor=" + email + "&since=" + future).expect(200).json()
            .path("total_amount").asInt()).isZero();
        assertThat(admin.get("/v1/admin/audit?actor=" + email + "&until=" + future).expect(200).json()
            .path("total_amount").asInt()).isEqualTo(4);
        var bad = admin.get("/v1/admin/audit?since=yesterday");
        Api.assertProblem(bad, 400);
        assertThat(bad.body()).contains("since", "yesterday");
        Api.assertProblem(admin.get("/v1/admin/audit?page_token=abc"), 400);
        Api.assertProblem(call("GET", "/v1/admin/audit", cookie, null, null), 403);
    }
}
