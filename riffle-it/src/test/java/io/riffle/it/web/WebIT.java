package io.riffle.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.it.RiffleProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web app in a real Chromium against the real executable: a user signing in with email and password, then a new
 * user's first session from signing in with the admin's token to replaying a fixed dead letter. Screenshots of the main pages go to {@code target/web-screenshots}, or to the
 * directory named by {@code -Driffle.web.screenshots} (e.g. {@code ../docs/screenshots} to refresh the docs').
 */
@Timeout(600)
class WebIT {
    static final String RAISES_ON_THIRD = """
        def handler(data, log):
            log.info("got event %s", data["id"])
            if data["id"] % 3 == 0:
                raise ValueError("cannot handle event %s" % data["id"])
            return {"id": data["id"], "checked": True}
        """;
    static final String FIXED = """
        def handler(data, log):
            log.info("got event %s", data["id"])
            # events divisible by 3 were refused before; now they are flagged instead
            return {"id": data["id"], "checked": True, "flagged": data["id"] % 3 == 0}
        """;
    /** The confirming button of the modal confirmation dialog. */
    private static final String CONFIRM = "dialog button[value=ok]";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RiffleProcess riffle;
    private static Browser browser;

    @BeforeAll
    static void up() {
        var screenshots = Path.of(System.getProperty("riffle.web.screenshots", "target/web-screenshots"));
        browser = Browser.start(screenshots); // first: fails fast, and clearly, without Chromium
        riffle = RiffleProcess.embedded(Map.of()).start();
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
        }
    }

    @Test
    void firstSessionFromSignInToReplayingAFixedDeadLetter() {
        try {
            signIn();
            var spaceId = createSpace("web-demo");
            var pipelineId = createPipelineFromTemplate(spaceId, "orders");
            testWithSampleEvent();
            var token = firstAccessToken(pipelineId);
            publishedEventsShowInStatusAndLiveLog(pipelineId, token);
            deploy(RAISES_ON_THIRD, 2);
            publish(pipelineId, token, 9, 10, 11);
            browser.awaitText("#status-panel [data-field=failed_waiting]", "1");
            var letter = takeDeadLetter(pipelineId);
            fixDeployAndReplay(pipelineId, letter);
            otherScreens(pipelineId);
            spaceWithPipelinesCannotBeDeleted();
            replayedEventWasProcessedByTheFix(pipelineId);
        } catch (RuntimeException | AssertionError e) {
            browser.keepEvidence("failure");
            throw new AssertionError(e.getMessage() + "\nurl: " + browser.url() + "\nriffle log tail:\n"
                + riffle.logTail(40), e);
        }
    }

    /**
     * A user the admin created signs in with email and password (a wrong password first; then an email locked by
     * failed logins), sees the spaces page and signs out, which revokes the token the login issued.
     */
    private void signInWithPassword() {
        management("POST", "/v1/users", "{\"email\":\"ada@example.com\",\"name\":\"Ada\","
            + "\"password\":\"correct horse battery\"}");
        browser.open(riffle.baseUrl() + "/");
        browser.find("#login-email");
        assertThat(browser.all("#nav").get(0).isDisplayed()).as("navigation while signed out").isFalse();
        assertThat(browser.all("#login-token")).allSatisfy(e -> assertThat(e.isDisplayed()).isFalse());
        browser.type("#login-email", "ada@example.com");
        browser.type("#login-password", "wrong password");
        browser.clickText("Sign in");
        browser.awaitText("[role=alert]", "Wrong email or password");
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("login-password");
        browser.screenshot("login");

        for (int i = 0; i < 5; i++) { // five failures lock an email, known or not
            var r = send(HttpRequest.newBuilder(URI.create(riffle.baseUrl() + "/v1/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"nobody@example.com\",\"password\":\"x\"}")));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        }
        browser.type("#login-email", "nobody@example.com");
        browser.type("#login-password", "x");
        browser.clickText("Sign in");
        browser.awaitText("[role=alert]", "Too many failed sign-ins for this email: try again in 15 minutes");

        browser.type("#login-email", "ada@example.com");
        browser.type("#login-password", "correct horse battery");
        browser.clickText("Sign in");
        browser.awaitText("h1", "Pipelines");
        var cookie = browser.cookie("riffle_session");
        assertThat(cookie).as("the session cookie").isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Lax");
        assertThat(cookie.isSecure()).as("Secure over plain http").isFalse();
        assertThat((String) browser.script("return document.cookie")).doesNotContain("riffle_session");
        assertThat((String) browser.script("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"))
            .doesNotContain("rfl_");
        browser.clickText("Spaces");
        browser.awaitText("h1", "Spaces");
        browser.awaitText("#main", "No spaces yet");
        browser.open(riffle.baseUrl() + "/#/spaces"); // a reload keeps the session
        browser.awaitText("#main", "No spaces yet");
        browser.clickText("Sign out");
        browser.find("#login-email");
        assertThat(browser.cookie("riffle_session")).as("cookie after sign out").isNull();
        var after = send(HttpRequest.newBuilder(URI.create(riffle.baseUrl() + "/v1/profile"))
            .header("Cookie", "riffle_session=" + cookie.getValue()).GET());
        assertThat(after.statusCode()).as("the signed-out session on the server").isEqualTo(401);
    }

    private void signIn() {
        signInWithPassword();
        browser.clickText("Use an access token instead");
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("login-token");
        assertThat(browser.textOf("#login-help")).contains("~/.riffle/admin.token");
        browser.type("#login-token", "not-a-token");
        browser.clickText("Sign in");
        browser.awaitText("[role=alert]", "not accepted");
        browser.type("#login-token", riffle.adminToken());
        browser.clickText("Sign in");
        browser.awaitText("h1", "Pipelines");
        browser.awaitText("#main", "No pipelines yet");
    }

    private String createSpace(String name) {
        browser.clickText("Spaces");
        browser.awaitText("#main", "No spaces yet");
        browser.type("#space-name", name);
        browser.clickText("Create space");
        browser.awaitText("#spaces-table", name);
        browser.screenshot("spaces");
        var spaces = management("GET", "/v1/spaces", null).path("spaces");
        return spaces.get(0).path("id").asText();
    }

    private String createPipelineFromTemplate(String spaceId, String name) {
        browser.clickText("New pipeline");
        browser.awaitText("h1", "New pipeline");
        assertThat(browser.script("return document.getElementById('pipeline-space').value")).isEqualTo(spaceId);
        browser.type("#pipeline-name", name);
        assertThat(browser.all(".editor-highlight .tok-def")).extracting(e -> e.getText()).contains("handler");
        browser.screenshot("pipeline-new");
        browser.clickText("Create pipeline");
        browser.awaitText("h1", name);
        browser.awaitText("#status-panel [data-field=function_status]", "ready");
        return browser.url().replaceAll(".*#/pipelines/([^/?]+).*", "$1");
    }

    private void testWithSampleEvent() {
        browser.find("#code-editor");
        browser.paste("#test-event", "{\"id\": 7, \"name\": \"ada\"}");
        browser.click("#test-run");
        browser.awaitText("#test-status", "Success");
        assertThat(browser.textOf("#test-response")).contains("\"greeting\": \"hello\"").contains("\"name\": \"ada\"");
        assertThat(browser.textOf("#test-logs")).contains("got event 7");
        browser.screenshot("pipeline-code");
    }

    private void publishedEventsShowInStatusAndLiveLog(String pipelineId, String token) {
        publish(pipelineId, token, 1, 2, 4, 5, 7);
        browser.awaitText("#status-panel [data-field=output_waiting]", "5");
        browser.clickText("Logs");
        browser.awaitText("#log-lines", "got event 7");
        publish(pipelineId, token, 8);
        browser.awaitText("#log-lines", "got event 8"); // a line written after the page opened: followed live
        browser.awaitText("#status-panel [data-field=output_waiting]", "6");
        browser.screenshot("pipeline-logs");
        browser.clickText("Code");
    }

    private void deploy(String source, int version) {
        browser.find("#code-editor");
        browser.awaitScript("the editor to hold the deployed code", "document.getElementById('deploy').disabled");
        browser.paste("#code-editor", source);
        browser.click("#deploy");
        browser.awaitText("#deploy-status", "Version " + version + " is ready");
        assertThat(browser.textOf("#deploy-status")).doesNotContain("failed");
        browser.awaitText("#test-note", "version " + version);
        browser.awaitText("#status-panel [data-field=function_status]", "v" + version);
    }

    private String takeDeadLetter(String pipelineId) {
        browser.clickText("Dead letters");
        browser.awaitText("#dead-letters-waiting", "1");
        browser.awaitText("#dead-letter-list", "No dead letter taken");
        browser.click("#take-dead-letter");
        var card = browser.awaitText(".dead-letter", "ValueError: cannot handle event 9");
        assertThat(card).contains("\"id\": 9");
        browser.screenshot("pipeline-dead-letters");
        return browser.all(".dead-letter").get(0).getAttribute("data-request");
    }

    private void fixDeployAndReplay(String pipelineId, String letter) {
        browser.clickText("Code");
        deploy(FIXED, 3);
        browser.screenshot("pipeline-deploy");
        browser.awaitText("#status-panel [data-field=output_waiting]", "8"); // 6, then events 10 and 11
        browser.clickText("Dead letters");
        browser.awaitText(".dead-letter", letter); // kept across tabs until replayed
        browser.clickText("Replay");
        browser.awaitText("#dead-letter-list", "published to the pipeline again");
        browser.awaitText("#status-panel [data-field=output_waiting]", "9");
        browser.awaitText("#status-panel [data-field=failed_waiting]", "0");
    }

    /** The replayed event's result, as a program consuming the results sees it. */
    private static void replayedEventWasProcessedByTheFix(String pipelineId) {
        var results = consumeAll(pipelineId);
        assertThat(results).hasSize(9).anySatisfy(r -> {
            assertThat(r.path("response").path("id").asInt()).isEqualTo(9);
            assertThat(r.path("response").path("flagged").asBoolean()).isTrue();
        });
    }

    private void otherScreens(String pipelineId) {
        browser.clickText("Versions");
        browser.awaitText("#versions-table", "v3");
        browser.clickText("Activate v1");
        browser.click(CONFIRM);
        browser.awaitText("#status-panel [data-field=function_status]", "v1 running, v3 newest");
        browser.clickText("View v3");
        browser.awaitText("#version-detail", "handler imported");
        browser.screenshot("pipeline-versions");
        browser.clickText("Activate v3");
        browser.click(CONFIRM);
        browser.awaitScript("version 3 to run again", "document.querySelector(arguments[0]).textContent.endsWith('v3')",
            "#status-panel [data-field=function_status]");
        browser.clickText("Access tokens");
        browser.type("#token-name", "loader");
        browser.clickText("Create token");
        browser.awaitText("#tokens-table", "loader");
        browser.screenshot("pipeline-tokens");
        browser.click("#pipeline-toggle");
        browser.click(CONFIRM);
        browser.awaitText(".title-row", "paused");
        browser.click("#pipeline-toggle");
        browser.awaitText(".title-row", "running");
        browser.clickText("Code");
        browser.find("#code-editor");
        browser.screenshot("pipeline-detail");
        browser.clickText("Pipelines");
        browser.awaitText("#pipelines-table", "orders");
        browser.screenshot("pipelines");
    }

    private void spaceWithPipelinesCannotBeDeleted() {
        browser.clickText("Spaces");
        browser.click("#spaces-table button.danger");
        browser.click(CONFIRM);
        browser.awaitText("[role=alert]", "not empty");
    }

    private static String firstAccessToken(String pipelineId) {
        return management("GET", "/v1/pipelines/" + pipelineId + "/access_tokens", null)
            .path("access_tokens").get(0).path("token").asText();
    }

    private static void publish(String pipelineId, String token, int... ids) {
        for (int id : ids) {
            var r = send(HttpRequest.newBuilder(URI.create(riffle.baseUrl() + "/v1/pipelines/" + pipelineId
                    + "/topics/input/events")).header("X-PIPELINE-ACCESS-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":" + id + "}")));
            assertThat(r.statusCode()).as("publish %s: %s", id, r.body()).isEqualTo(200);
        }
    }

    private static java.util.List<JsonNode> consumeAll(String pipelineId) {
        var token = firstAccessToken(pipelineId);
        var out = new java.util.ArrayList<JsonNode>();
        while (true) {
            var r = send(HttpRequest.newBuilder(URI.create(riffle.baseUrl() + "/v1/pipelines/" + pipelineId
                + "/topics/output/events/consume")).header("X-PIPELINE-ACCESS-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.noBody()));
            if (r.statusCode() == 204) {
                return out;
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            out.add(parse(r.body()));
        }
    }

    private static JsonNode management(String method, String path, String body) {
        var r = send(HttpRequest.newBuilder(URI.create(riffle.baseUrl() + path))
            .header("Personal-Access-Token", riffle.adminToken())
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isLessThan(300);
        return parse(r.body());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
