package io.riffle.connectors.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The snowflake_cdc_json sink's SQL API client against a scripted server (no Snowflake can run here): request
 * shape, idempotent request ids, 202 follow-up, 422 as a dead letter, retries, key-pair JWT claims, probe fields.
 */
class SnowflakeSinkTest {
    private static final SnowflakeSinkFactory FACTORY = new SnowflakeSinkFactory();

    private static Map<String, Object> fields(String host) {
        return new HashMap<>(Map.of("account", "myorg-acct", "warehouse", "WH", "db_user", "riffle",
            "db_pass", "pat-secret", "db_name", "SALES", "db_schema", "PUBLIC", "db_host", host, "db_role", "LOADER"));
    }

    private static ConnectorConfig config(String host) {
        return Configs.sink("snowflake_cdc_json", fields(host));
    }

    private static SinkRecord record(String id, String json) {
        return new SinkRecord(id, json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void runsOneBoundStatementPerResultWithAStableRequestId() throws Exception {
        var polls = new AtomicInteger();
        try (var server = new FakeHttp(r -> {
            if (r.method().equals("GET")) {
                return new FakeHttp.Reply(polls.incrementAndGet() < 2 ? 202 : 200, "{\"statementHandle\":\"h1\"}");
            }
            if (r.body().contains("nope")) {
                return new FakeHttp.Reply(422, "{\"message\":\"invalid identifier 'NOPE'\",\"sqlState\":\"42000\"}");
            }
            return new FakeHttp.Reply(r.body().contains("DELETE") ? 202 : 200, "{\"statementHandle\":\"h1\"}");
        }); var sink = FACTORY.openSink(config(server.url()))) {
            var rejected = sink.write(List.of(
                record("p:1", "{'operation':'INSERT','table':'orders','columns':{'id':1,'note':'a'}}"),
                record("p:2", "{'operation':'INSERT','table':'orders','columns':{'nope':1}}"),
                record("p:3", "{'operation':'DELETE','table':'orders','filters':{'id':1}}"),
                record("p:4", "{'operation':'TRUNCATE','table':'orders'}")));
            assertThat(rejected).extracting(r -> r.record().id()).containsExactly("p:2", "p:4");
            assertThat(rejected.getFirst().reason()).contains("HTTP 422").contains("42000").contains("NOPE");
            var posts = server.requests("/api/v2/statements");
            assertThat(posts).hasSize(3);
            var first = posts.getFirst();
            assertThat(first.query()).isEqualTo("requestId=" + SnowflakeApi.requestId("p:1") + "&retry=true");
            assertThat(first.header("Authorization")).isEqualTo("Bearer pat-secret");
            assertThat(first.header("X-Snowflake-Authorization-Token-Type")).isEqualTo("PROGRAMMATIC_ACCESS_TOKEN");
            var body = Payloads.JSON.readTree(first.body());
            assertThat(body.path("statement").asText()).isEqualTo("INSERT INTO PUBLIC.orders (id, note) VALUES (?, ?)");
            assertThat(body.path("bindings").toString())
                .isEqualTo("{\"1\":{\"type\":\"FIXED\",\"value\":\"1\"},\"2\":{\"type\":\"TEXT\",\"value\":\"a\"}}");
            assertThat(body.path("warehouse").asText()).isEqualTo("WH");
            assertThat(body.path("database").asText()).isEqualTo("SALES");
            assertThat(body.path("role").asText()).isEqualTo("LOADER");
            assertThat(server.requests("/api/v2/statements/h1")).hasSize(2);
        }
        assertThat(SnowflakeApi.requestId("p:1")).isEqualTo(SnowflakeApi.requestId("p:1"))
            .isNotEqualTo(SnowflakeApi.requestId("p:2"));
    }

    @Test
    void unavailableOrRefusedCredentialsRetryTheBatch() throws Exception {
        var status = new AtomicInteger(503);
        try (var server = new FakeHttp(r -> new FakeHttp.Reply(status.get(), "{}"));
             var sink = FACTORY.openSink(config(server.url()))) {
            var batch = List.of(record("p:1", "{'operation':'DELETE','table':'t','filters':{'id':1}}"));
            assertThatThrownBy(() -> sink.write(batch)).hasMessageContaining("HTTP 503");
            status.set(401);
            assertThatThrownBy(() -> sink.write(batch)).hasMessageContaining("HTTP 401");
            status.set(200);
            assertThat(sink.write(batch)).isEmpty();
        }
    }

    @Test
    void aPrivateKeyInDbPassMeansKeyPairAuthentication() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var keys = generator.generateKeyPair();
        var pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----";
        var auth = new SnowflakeAuth("myorg-acct.eu-west-1", "riffle", pem, Clock.systemUTC());
        assertThat(auth.keyPair()).isTrue();
        var headers = auth.headers();
        assertThat(headers).containsEntry("X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT");
        var claims = Payloads.JSON.readTree(Base64.getUrlDecoder().decode(
            headers.get("Authorization").substring("Bearer ".length()).split("\\.")[1]));
        var fingerprint = "SHA256:" + Base64.getEncoder().encodeToString(
            MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded()));
        assertThat(claims.path("sub").asText()).isEqualTo("MYORG-ACCT.RIFFLE");
        assertThat(claims.path("iss").asText()).isEqualTo("MYORG-ACCT.RIFFLE." + fingerprint);
        assertThat(auth.headers()).isEqualTo(headers);
    }

    @Test
    void probeAndValidationNameTheField() {
        try (var server = new FakeHttp(r -> new FakeHttp.Reply(401, "{\"message\":\"bad token\"}"))) {
            assertThatThrownBy(() -> FACTORY.probe(config(server.url()))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sink_connector.config.db_pass").hasMessageNotContaining("pat-secret");
        }
        assertThatThrownBy(() -> FACTORY.probe(config("http://127.0.0.1:1")))
            .hasMessageContaining("sink_connector.config.db_host");
        var f = fields("x");
        f.remove("db_host");
        assertThat(SnowflakeSinkFactory.settings(Configs.sink("snowflake_cdc_json", f)).base())
            .hasToString("https://myorg-acct.snowflakecomputing.com:443");
        f.put("db_pass", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----");
        assertThatThrownBy(() -> FACTORY.validate(Configs.sink("snowflake_cdc_json", f)))
            .hasMessageContaining("sink_connector.config.db_pass").hasMessageContaining("private key");
        f.remove("warehouse");
        assertThatThrownBy(() -> FACTORY.validate(Configs.sink("snowflake_cdc_json", f)))
            .hasMessage("sink_connector.config.warehouse: is required");
        var bad = fields("x");
        bad.put("account", "my account");
        assertThatThrownBy(() -> FACTORY.validate(Configs.sink("snowflake_cdc_json", bad)))
            .hasMessageContaining("sink_connector.config.account").hasMessageContaining("'my account'");
    }
}
