package io.riffle.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riffle.it.RiffleProcess;
import io.riffle.testkit.TestOidcProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code riffle login --oidc} as a user runs it: the CLI process asks the server for its provider, runs the device
 * flow (RFC 8628) against the test provider process, prints the URL and code, and polls while the test approves at
 * the provider's verification endpoint; the tokens land in a 0600 file, are renewed with the refresh token, and an
 * expired login without one asks to log in again.
 */
@Timeout(300)
class CliOidcIT {
    private static final String AUDIENCE = "https://riffle.test/api";
    private static final Duration CALL = Duration.ofSeconds(90);
    private static final Pattern CODE = Pattern.compile("open (\\S+) and enter the code (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestOidcProvider provider;
    private static RiffleProcess riffle;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void up() {
        provider = new TestOidcProvider().client("riffle-cli", null).accessTokenTtl(20)
            .signInAs("auth0|grace", Map.of("email", "grace@oidc.test", "email_verified", true, "name", "Grace"));
        riffle = RiffleProcess.embedded(Map.of("RIFFLE_OIDC_ISSUER", provider.issuer(), "RIFFLE_OIDC_AUDIENCE",
            AUDIENCE, "RIFFLE_OIDC_CLI_CLIENT_ID", "riffle-cli")).start();
    }

    @AfterAll
    static void down() {
        if (riffle != null) {
            riffle.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    private Process start(Path out, Path err, String... args) throws IOException {
        var jar = Path.of(System.getProperty("riffle.jar", "../riffle-app/target/riffle.jar"));
        var cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
            .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("RIFFLE_"));
        pb.environment().put("RIFFLE_CONFIG_DIR", dir.resolve("config").toString());
        return pb.start();
    }

    private Run finish(Process p, Path out, Path err) throws IOException, InterruptedException {
        if (!p.waitFor(CALL.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the CLI did not finish\nstdout: " + Files.readString(out) + "\nstderr: "
                + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run run(String... args) throws IOException, InterruptedException {
        var out = Files.createTempFile(dir, "out", ".txt");
        var err = Files.createTempFile(dir, "err", ".txt");
        return finish(start(out, err, args), out, err);
    }

    /** Waits until the running login prints the verification URL and code; returns them. */
    private static String[] awaitCode(Process p, Path out) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + CALL.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            var m = CODE.matcher(Files.readString(out));
            if (m.find()) {
                return new String[] {m.group(1), m.group(2)};
            }
            p.waitFor(100, TimeUnit.MILLISECONDS); // a poll interval while the CLI starts
        }
        throw new AssertionError("no code printed: " + Files.readString(out));
    }

    private static int activate(String verificationUri, String userCode, String action) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(verificationUri))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("user_code=" + userCode + "&action=" + action)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void logsInWithTheDeviceFlowRenewsWithTheRefreshTokenAndAsksAgainWhenExpired() throws Exception {
        var out = Files.createTempFile(dir, "out", ".txt");
        var err = Files.createTempFile(dir, "err", ".txt");
        var login = start(out, err, "login", "--server", riffle.baseUrl(), "--oidc");
        var code = awaitCode(login, out);
        assertThat(code[0]).isEqualTo(provider.issuer() + "activate");
        assertThat(activate(code[0], code[1], "approve")).isEqualTo(200);
        var done = finish(login, out, err);
        assertThat(done.exit()).as(done.out() + done.err()).isZero();
        assertThat(done.out()).contains("logged in to " + riffle.baseUrl() + " through its identity provider");

        var file = dir.resolve("config/credentials.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        var profile = (ObjectNode) JSON.readTree(file.toFile()).path("profiles").path("default");
        var access = profile.path("token").asText();
        assertThat(access).startsWith("eyJ");
        assertThat(profile.path("oidc").path("refresh_token").asText()).isNotEmpty();
        assertThat(done.out() + done.err()).doesNotContain(access, profile.path("oidc").path("refresh_token")
            .asText());

        // the access token lives 20 s, inside the 30 s renewal margin: the next command renews it first
        int before = provider.refreshes();
        var whoami = run("whoami");
        assertThat(whoami.exit()).as(whoami.err()).isZero();
        assertThat(provider.refreshes()).isEqualTo(before + 1);
        var renewed = JSON.readTree(file.toFile()).path("profiles").path("default");
        assertThat(renewed.path("token").asText()).isNotEqualTo(access);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        var spaces = run("space", "list");
        assertThat(spaces.exit()).as(spaces.err()).isZero();

        // expired, and no refresh token: log in again
        var root = (ObjectNode) JSON.readTree(file.toFile());
        var oidc = (ObjectNode) root.path("profiles").path("default").path("oidc");
        oidc.put("expires_at", Instant.now().minusSeconds(60).toString());
        oidc.remove("refresh_token");
        Files.writeString(file, JSON.writeValueAsString(root));
        var expired = run("whoami");
        assertThat(expired.exit()).isEqualTo(1);
        assertThat(expired.err()).contains("expired", "log in again", "riffle login --server " + riffle.baseUrl()
            + " --oidc");
    }

    @Test
    void aCodeThatIsNeverApprovedOrIsDeniedEndsTheLogin() throws Exception {
        var out = Files.createTempFile(dir, "out", ".txt");
        var err = Files.createTempFile(dir, "err", ".txt");
        var login = start(out, err, "login", "--server", riffle.baseUrl(), "--oidc");
        awaitCode(login, out);
        provider.expireDeviceCodes();
        var expired = finish(login, out, err);
        assertThat(expired.exit()).isEqualTo(1);
        assertThat(expired.err()).contains("expired before it was approved");

        var out2 = Files.createTempFile(dir, "out", ".txt");
        var denied = start(out2, err, "login", "--server", riffle.baseUrl(), "--oidc");
        var code = awaitCode(denied, out2);
        assertThat(activate(code[0], code[1], "deny")).isEqualTo(200);
        var run = finish(denied, out2, err);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("denied");
        assertThat(Files.exists(dir.resolve("config/credentials.json"))).isFalse();
    }
}
