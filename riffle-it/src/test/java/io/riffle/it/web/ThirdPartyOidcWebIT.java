package io.riffle.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.it.MockOAuth2Server;
import io.riffle.it.RiffleProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
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
 * The web sign-in against a third-party OpenID provider, NAV's mock-oauth2-server in its own process (it checks
 * PKCE, issues each code once, puts the nonce in the ID token, and publishes no trailing slash in its issuer): in
 * Chromium from the sign-in page back to the app with a session; and, as a browser would over HTTP, a code brought
 * back a second time is refused by the provider and opens no session.
 */
@Timeout(300)
class ThirdPartyOidcWebIT {
    private static MockOAuth2Server provider;
    private static RiffleProcess riffle;
    private static Browser browser;

    @BeforeAll
    static void up() {
        browser = Browser.start(Path.of(System.getProperty("riffle.web.screenshots", "target/web-screenshots")));
        provider = MockOAuth2Server.start("nav|grace", Map.of("email", "grace@nav.test", "email_verified", true,
            "name", "Grace Hopper"));
        var process = RiffleProcess.embedded(Map.of("RIFFLE_OIDC_ISSUER", provider.issuer(),
            "RIFFLE_OIDC_AUDIENCE", "riffle-api", "RIFFLE_OIDC_CLIENT_ID", "riffle-web",
            "RIFFLE_OIDC_CLIENT_SECRET", "a-client-secret"));
        riffle = process.env("RIFFLE_OIDC_REDIRECT_URL", app(process) + "/v1/auth/oidc/callback").start();
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

    /** The app at {@code localhost}, the provider at {@code 127.0.0.1}: two sites. */
    private static String app(RiffleProcess process) {
        return process.baseUrl().replace("//127.0.0.1:", "//localhost:");
    }

    @Test
    void signsInThroughThirdPartyProviderInTheBrowser() {
        try {
            browser.open(app(riffle) + "/");
            browser.click("#login-oidc");
            browser.awaitText("h1", "Pipelines");
            var cookie = browser.cookie("riffle_session");
            assertThat(cookie).isNotNull();
            assertThat(cookie.isHttpOnly()).isTrue();
            var profile = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(riffle.baseUrl()
                + "/v1/profile")).header("Cookie", "riffle_session=" + cookie.getValue()));
            assertThat(profile.statusCode()).isEqualTo(200);
            assertThat(profile.body()).contains("\"email\":\"grace@nav.test\"", "\"name\":\"Grace Hopper\"");
        } catch (RuntimeException | AssertionError e) {
            browser.keepEvidence("third-party-oidc-failure");
            throw new AssertionError(e.getMessage() + "\nurl: " + browser.url() + "\nriffle log tail:\n"
                + riffle.logTail(40), e);
        }
    }

    @Test
    void theProviderRefusesACodeBroughtBackTwice() {
        var http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();
        var callback = toCallback(http);
        var first = send(http, HttpRequest.newBuilder(URI.create(callback)));
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location")).hasValue("/#/pipelines");
        assertThat(first.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("riffle_session=rfl_ses_"));

        var code = query(callback).get("code");
        var fresh = query(toCallback(http)).get("state"); // a new sign-in in the same browser, its own state
        var replay = send(http, HttpRequest.newBuilder(URI.create(app(riffle) + "/v1/auth/oidc/callback?code="
            + code + "&state=" + fresh)));
        assertThat(replay.statusCode()).isEqualTo(302);
        var location = URLDecoder.decode(replay.headers().firstValue("Location").orElseThrow(),
            StandardCharsets.UTF_8);
        assertThat(location).startsWith("/#/login?error=").contains("the provider refused the code: invalid_grant");
        assertThat(replay.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("riffle_session=rfl_ses_"));
    }

    /** Starts a sign-in and follows the provider's answer up to the callback URL (code and state), not into it. */
    private static String toCallback(HttpClient http) {
        var login = send(http, HttpRequest.newBuilder(URI.create(app(riffle) + "/v1/auth/oidc/login")));
        assertThat(login.statusCode()).isEqualTo(302);
        var authorize = login.headers().firstValue("Location").orElseThrow();
        assertThat(authorize).startsWith(provider.issuer() + "/authorize?").contains("code_challenge_method=S256");
        var approved = send(http, HttpRequest.newBuilder(URI.create(authorize)));
        assertThat(approved.statusCode()).isEqualTo(302);
        var callback = approved.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(app(riffle) + "/v1/auth/oidc/callback?");
        return callback;
    }

    private static Map<String, String> query(String url) {
        var out = new java.util.HashMap<String, String>();
        for (var pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
