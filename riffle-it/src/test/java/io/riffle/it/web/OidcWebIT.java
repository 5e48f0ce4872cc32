package io.riffle.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.it.RiffleProcess;
import io.riffle.testkit.TestOidcProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web app signs in through an OIDC provider (the test provider on another site, a confidential client as
 * Auth0's "Regular Web Application"): authorization code flow with PKCE in headless Chromium, from the sign-in page to the
 * provider's page and back with a session cookie; a forged state and a replayed code are refused.
 */
@Timeout(300)
class OidcWebIT {
    private static final String AUDIENCE = "https://riffle.test/api";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestOidcProvider provider;
    private static RiffleProcess riffle;
    private static Browser browser;

    @BeforeAll
    static void up() {
        browser = Browser.start(Path.of(System.getProperty("riffle.web.screenshots", "target/web-screenshots")));
        provider = new TestOidcProvider().client("riffle-web", "web-secret")
            .signInAs("auth0|ada", Map.of("email", "ada@oidc.test", "email_verified", true, "name", "Ada Lovelace"));
        var process = RiffleProcess.embedded(Map.of("RIFFLE_OIDC_ISSUER", provider.issuer(),
            "RIFFLE_OIDC_AUDIENCE", AUDIENCE, "RIFFLE_OIDC_CLIENT_ID", "riffle-web",
            "RIFFLE_OIDC_CLIENT_SECRET", "web-secret"));
        riffle = process.env("RIFFLE_OIDC_REDIRECT_URL", app(process) + "/v1/auth/oidc/callback").start();
    }

    /**
     * The app as the browser reaches it: {@code localhost}, while the provider is at {@code 127.0.0.1}, so the two are
     * different sites as Auth0 and Riffle are, and the SameSite=Lax state cookie must survive a cross-site return.
     */
    private static String app(RiffleProcess process) {
        return process.baseUrl().replace("//127.0.0.1:", "//localhost:");
    }

    @AfterAll
    static void down() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (riffle != null) {
                riffle.close();
            }
            if (provider != null) {
                provider.close();
            }
        }
    }

    @Test
    void signsInAtTheProviderRefusesAForgedStateAndAReplayedCode() {
        try {
            var callback = signInAtTheProvider();
            forgedStateIsRefused();
            replayedCodeIsRefused(callback);
            var metrics = get("/metrics", "none").body();
            assertThat(metrics).containsPattern("riffle_auth_sign_ins_total\\{outcome=\"ok\",via=\"oidc\",?} 1(\\.0)?\n")
                .containsPattern("riffle_auth_sign_ins_total\\{outcome=\"refused\",via=\"oidc\",?} 3(\\.0)?\n");
            assertThat(riffle.logText()).doesNotContain("web-secret");
        } catch (RuntimeException | AssertionError e) {
            browser.keepEvidence("oidc-failure");
            throw new AssertionError(e.getMessage() + "\nurl: " + browser.url() + "\nriffle log tail:\n"
                + riffle.logTail(40), e);
        }
    }

    private String signInAtTheProvider() {
        browser.open(app(riffle) + "/");
        browser.find("#login-oidc");
        assertThat(browser.all("#login-email")).allSatisfy(e -> assertThat(e.isDisplayed()).isFalse());
        browser.screenshot("login-sso");
        browser.click("#login-oidc");
        browser.find("#approve"); // the provider's page
        var authorize = browser.url();
        assertThat(authorize).startsWith(provider.issuer() + "authorize?");
        var query = query(authorize);
        assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", "riffle-web")
            .containsEntry("code_challenge_method", "S256")
            .containsEntry("redirect_uri", app(riffle) + "/v1/auth/oidc/callback")
            .containsKeys("state", "nonce", "code_challenge").doesNotContainKey("code_verifier");
        assertThat(query.get("code_challenge")).hasSize(43);
        assertThat(query.get("scope")).contains("openid");
        browser.click("#approve");
        browser.awaitText("h1", "Pipelines");
        assertThat(browser.url()).doesNotContain("code=");

        var cookie = browser.cookie("riffle_session");
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Lax");
        var profile = get("/v1/profile", cookie.getValue());
        assertThat(profile.statusCode()).isEqualTo(200);
        assertThat(profile.body()).contains("\"email\":\"ada@oidc.test\"", "\"name\":\"Ada Lovelace\"");
        browser.clickText("Spaces");
        browser.awaitText("#main", "No spaces yet");
        browser.clickText("Sign out");
        browser.find("#login-oidc");
        assertThat(get("/v1/profile", cookie.getValue()).statusCode()).isEqualTo(401);
        return provider.lastCallback();
    }

    /** A callback whose state is not the one this browser's sign-in holds (CSRF on the sign-in). */
    private void forgedStateIsRefused() {
        browser.open(app(riffle) + "/v1/auth/oidc/login");
        browser.find("#approve");
        browser.open(app(riffle) + "/v1/auth/oidc/callback?code=anything&state=forged-state");
        browser.awaitText("#login-sso-error", "the state does not belong to a sign-in started in this browser");
        assertThat(browser.cookie("riffle_session")).isNull();
        browser.screenshot("login-sso-error");
    }

    /** The code of the finished sign-in, brought back with the state of a fresh one: the provider refuses it. */
    private void replayedCodeIsRefused(String usedCallback) {
        browser.open(usedCallback); // as it was: this browser holds no sign-in with that state any more
        browser.awaitText("#login-sso-error", "the state does not belong to a sign-in started in this browser");
        browser.open(app(riffle) + "/v1/auth/oidc/login");
        browser.find("#approve");
        var freshState = query(browser.url()).get("state");
        var usedCode = query(usedCallback).get("code");
        browser.open(app(riffle) + "/v1/auth/oidc/callback?code=" + usedCode + "&state=" + freshState);
        browser.awaitText("#login-sso-error", "the provider refused the code: invalid_grant");
        assertThat(browser.cookie("riffle_session")).isNull();
    }

    private static Map<String, String> query(String url) {
        var out = new java.util.HashMap<String, String>();
        for (var pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static HttpResponse<String> get(String path, String session) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(riffle.baseUrl() + path))
                .header("Cookie", "riffle_session=" + session).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
