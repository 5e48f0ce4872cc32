package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.SourceRecord;
import io.riffle.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The google_pubsub source's REST client against a scripted server (no Pub/Sub can run here): the service-account
 * JWT, pull, emit-then-acknowledge, and the probe's field names.
 */
class PubSubSourceTest {
    private static final PubSubSourceFactory FACTORY = new PubSubSourceFactory();
    private static KeyPair keys;

    @BeforeAll
    static void keys() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    private static String pem() {
        return "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate()
            .getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    private static ConnectorConfig config(FakeHttp server) {
        var credentials = Payloads.JSON.createObjectNode().put("type", "service_account")
            .put("client_email", "riffle@proj.iam.gserviceaccount.com").put("private_key", pem())
            .put("token_uri", server.url() + "/token").toString();
        return Configs.source("google_pubsub", new HashMap<>(Map.of("project_id", "my-project",
            "subscription_id", "orders-sub", "credentials_json", credentials, "endpoint", server.url())));
    }

    private static boolean validJwt(String jwt) throws Exception {
        var parts = jwt.split("\\.");
        var verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(keys.getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        var claims = Payloads.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        return verifier.verify(Base64.getUrlDecoder().decode(parts[2]))
            && claims.path("scope").asText().equals(GoogleServiceAccount.SCOPE)
            && claims.path("iss").asText().equals("riffle@proj.iam.gserviceaccount.com");
    }

    private static FakeHttp pubsub(AtomicInteger pulls) {
        return new FakeHttp(request -> {
            try {
                if (request.path().equals("/token")) {
                    var jwt = request.body().replaceAll(".*assertion=", "");
                    return validJwt(jwt) ? new FakeHttp.Reply(200, "{\"access_token\":\"tok\",\"expires_in\":3600}")
                        : new FakeHttp.Reply(400, "{\"error\":\"invalid_grant\"}");
                }
            } catch (Exception e) {
                return new FakeHttp.Reply(400, "{\"error\":\"" + e + "\"}");
            }
            if (!"Bearer tok".equals(request.header("Authorization"))) {
                return new FakeHttp.Reply(401, "{}");
            }
            if (request.path().endsWith(":pull") && pulls.getAndIncrement() == 0) {
                var json = Base64.getEncoder().encodeToString("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
                var text = Base64.getEncoder().encodeToString("hi".getBytes(StandardCharsets.UTF_8));
                return new FakeHttp.Reply(200, "{\"receivedMessages\":[{\"ackId\":\"a1\",\"message\":{\"data\":\""
                    + json + "\",\"messageId\":\"m1\"}},{\"ackId\":\"a2\",\"message\":{\"data\":\"" + text
                    + "\",\"messageId\":\"m2\",\"attributes\":{\"k\":\"v\"}}}]}");
            }
            return new FakeHttp.Reply(200, "{}");
        });
    }

    @Test
    void pullsEmitsThenAcknowledgesWithASignedServiceAccountToken() throws Exception {
        var pulls = new AtomicInteger();
        var context = new CollectingContext();
        try (var server = pubsub(pulls); var executor = Executors.newVirtualThreadPerTaskExecutor();
             var source = FACTORY.openSource(config(server))) {
            var run = executor.submit(() -> {
                source.run(context);
                return null;
            });
            Configs.await(Duration.ofSeconds(30), "an acknowledge", () -> !server.requests(":acknowledge").isEmpty());
            context.running.set(false);
            run.get(30, TimeUnit.SECONDS);
            assertThat(server.requests(":acknowledge").getFirst().body()).isEqualTo("{\"ackIds\":[\"a1\",\"a2\"]}");
            assertThat(server.requests("/token")).hasSize(1);
            assertThat(server.requests(":pull").getFirst().path())
                .isEqualTo("/v1/projects/my-project/subscriptions/orders-sub:pull");
        }
        assertThat(context.records).extracting(SourceRecord::dedupeId).containsExactly("m1", "m2");
        assertThat(context.payloads()).containsExactly("{\"n\":1}", "{\"payload\":\"hi\",\"attributes\":{\"k\":\"v\"}}");
    }

    @Test
    void nothingIsAcknowledgedWhenEmitFails() throws Exception {
        var context = new CollectingContext();
        context.failNext.set(1);
        try (var server = pubsub(new AtomicInteger()); var source = FACTORY.openSource(config(server))) {
            assertThatThrownBy(() -> source.run(context)).hasMessageContaining("input stream unavailable");
            assertThat(server.requests(":acknowledge")).isEmpty();
        }
    }

    @Test
    void probeNamesTheSubscriptionTheKeyAndTheEndpoint() {
        try (var server = new FakeHttp(r -> r.path().equals("/token")
            ? new FakeHttp.Reply(200, "{\"access_token\":\"tok\"}") : new FakeHttp.Reply(404, "{}"))) {
            assertThatThrownBy(() -> FACTORY.probe(config(server))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("source_connector.config.subscription_id");
        }
        try (var server = new FakeHttp(r -> new FakeHttp.Reply(400, "{\"error\":\"invalid_grant\"}"))) {
            assertThatThrownBy(() -> FACTORY.probe(config(server)))
                .hasMessageContaining("source_connector.config.credentials_json").hasMessageContaining("refused");
        }
        var server = new FakeHttp(r -> new FakeHttp.Reply(200, "{}"));
        var config = config(server);
        server.close();
        assertThatThrownBy(() -> FACTORY.probe(config)).hasMessageContaining("source_connector.config.endpoint");
    }

    @Test
    void validationNamesTheField() {
        var base = new HashMap<String, Object>(Map.of("project_id", "my-project", "subscription_id", "sub1",
            "credentials_json", "{\"client_email\":\"a@b\",\"private_key\":\"nope\"}"));
        assertThatThrownBy(() -> FACTORY.validate(Configs.source("google_pubsub", base)))
            .hasMessageContaining("source_connector.config.credentials_json").hasMessageContaining("private_key");
        base.put("credentials_json", "credentials.json");
        assertThatThrownBy(() -> FACTORY.validate(Configs.source("google_pubsub", base)))
            .hasMessageContaining("source_connector.config.credentials_json");
        base.put("project_id", "My Project");
        assertThatThrownBy(() -> FACTORY.validate(Configs.source("google_pubsub", base)))
            .hasMessageContaining("source_connector.config.project_id").hasMessageContaining("'My Project'");
        var emulator = new HashMap<String, Object>(Map.of("project_id", "my-project", "subscription_id",
            "projects/my-project/subscriptions/sub1", "credentials_json", "{}", "endpoint", "http://localhost:8085"));
        var settings = PubSubSourceFactory.settings(Configs.source("google_pubsub", emulator));
        assertThat(settings.account()).isNull();
        assertThat(settings.path()).isEqualTo("projects/my-project/subscriptions/sub1");
    }
}
