package io.riffle.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * NAV's mock-oauth2-server ({@code no.nav.security:mock-oauth2-server} from Maven Central) as its own process, a
 * third-party OpenID provider for the end-to-end tests: discovery, JWKS, the authorization code flow with PKCE
 * (codes usable once) and ID tokens with the nonce. It signs in at once as the configured subject (no login page).
 * Its classpath comes from the {@code riffle-oidc-mock} module ({@code target/provider.classpath}).
 */
public final class MockOAuth2Server implements AutoCloseable {
    private static final String MAIN = "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt";
    private static final String ISSUER_ID = "riffle";
    private final Process process;
    private final int port;
    private final Path log;

    private MockOAuth2Server(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the provider; every sign-in signs in as {@code subject} with these extra {@code claims}. */
    public static MockOAuth2Server start(String subject, Map<String, Object> claims) {
        var classpathFile = Path.of(System.getProperty("riffle.oidc-mock.classpath",
            "../riffle-oidc-mock/target/provider.classpath"));
        try {
            var classpath = Files.readString(classpathFile).strip();
            int port;
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            var all = new java.util.LinkedHashMap<String, Object>(claims);
            all.put("sub", subject);
            var config = Api.text(Map.of("interactiveLogin", false, "httpServer", "NettyWrapper", "tokenCallbacks",
                List.of(Map.of("issuerId", ISSUER_ID, "tokenExpiry", 300, "requestMappings",
                    List.of(Map.of("requestParam", "client_id", "match", "*", "claims", all))))));
            var log = Files.createTempFile("mock-oauth2-server", ".log");
            var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath, MAIN)
                .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("SERVER_HOSTNAME", "127.0.0.1");
            pb.environment().put("SERVER_PORT", Integer.toString(port));
            pb.environment().put("JSON_CONFIG", config);
            var server = new MockOAuth2Server(pb.start(), port, log);
            server.awaitUp();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mock-oauth2-server (is " + classpathFile + " built? "
                + "build with -pl riffle-it -am)", e);
        }
    }

    /** The issuer URL, as in its tokens' {@code iss} (no trailing slash). */
    public String issuer() {
        return "http://127.0.0.1:" + port + "/" + ISSUER_ID;
    }

    private void awaitUp() throws IOException {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        var uri = URI.create(issuer() + "/.well-known/openid-configuration");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mock-oauth2-server exited: " + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS); // a poll interval while it starts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("mock-oauth2-server did not answer within 60 s: " + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
