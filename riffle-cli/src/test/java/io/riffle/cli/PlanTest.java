package io.riffle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.client.EnvVar;
import io.riffle.client.FunctionArtifact;
import io.riffle.client.PipelineDetails;
import io.riffle.client.PipelineSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {
    private static final String CODE = "def handler(data, log):\n    return data\n";
    private static final PipelineSettings SERVER_SETTINGS = new PipelineSettings(null, 1, 1, 500, 30_000L,
        60_000L, 30_000L, 3, 100, 1024);

    private static PipelineSpec spec(String name, String code, List<EnvVar> env, PipelineSettings settings) {
        return new PipelineSpec(Path.of("pipeline.yaml"), name, "p1", "s1", null, code, null, env, settings, 2);
    }

    private static PipelineDetails current() {
        return new PipelineDetails("p1", "echo", "s1", "main", "running", Instant.EPOCH, Instant.EPOCH, null, null,
            null, List.of(new EnvVar("A", "1")), SERVER_SETTINGS, new PipelineDetails.Function(1, "ready", 1, "ready"));
    }

    private static final FunctionArtifact ARTIFACT = new FunctionArtifact(CODE, "", 1, "ready");

    @Test
    void sameFileIsNoChange() {
        var plan = Plan.update(spec("echo", CODE, List.of(new EnvVar("A", "1")),
            PipelineSettings.fixedReplicas(1)), current(), ARTIFACT);
        assertThat(plan.kind()).isEqualTo(Plan.Kind.NO_CHANGE);
        assertThat(plan.update().isEmpty()).isTrue();
        assertThat(plan.render()).contains("= no change: pipeline \"echo\" (p1) is up to date");
    }

    @Test
    void eachChangedFieldIsListedAndOnlyItIsSent() {
        var plan = Plan.update(spec("echo2", CODE.replace("return data", "return {}"), List.of(new EnvVar("A", "2"),
            new EnvVar("B", "x")), new PipelineSettings(null, null, null, null, null, null, 5000L, null, null, null)),
            current(), ARTIFACT);
        assertThat(plan.kind()).isEqualTo(Plan.Kind.UPDATE);
        assertThat(plan.changes()).containsExactly(
            "name: \"echo\" → \"echo2\"",
            "transformation:",
            "  -     return data",
            "  +     return {}",
            "env A: value changed",
            "env B: added",
            "settings.timeout_ms: 30000 → 5000");
        assertThat(plan.update().name()).isEqualTo("echo2");
        assertThat(plan.update().requirementsTxt()).isNull();
        assertThat(plan.update().settings().timeoutMs()).isEqualTo(5000L);
        assertThat(plan.render()).contains("~ update pipeline \"echo2\" (p1):").doesNotContain("value: 2");
    }

    @Test
    void replicasShortcutComparesWithMinAndMax() {
        var plan = Plan.update(spec("echo", CODE, List.of(new EnvVar("A", "1")), PipelineSettings.fixedReplicas(3)),
            current(), ARTIFACT);
        assertThat(plan.changes()).containsExactly("settings.min_replicas: 1 → 3", "settings.max_replicas: 1 → 3");
    }

    @Test
    void removedEnvVarAndRequirementsAreChanges() {
        var plan = Plan.update(new PipelineSpec(Path.of("p.yaml"), "echo", "p1", "s1", null, CODE, "requests\n",
            List.of(), PipelineSettings.NONE, 2), current(), ARTIFACT);
        assertThat(plan.changes()).containsExactly("requirements:", "  + requests", "env A: removed");
        assertThat(plan.update().environments()).isEmpty();
    }

    @Test
    void movingToAnotherSpaceIsRefused() {
        var spec = new PipelineSpec(Path.of("p.yaml"), "echo", "p1", "s2", null, CODE, null, List.of(),
            PipelineSettings.NONE, 2);
        assertThatThrownBy(() -> Plan.update(spec, current(), ARTIFACT)).isInstanceOf(CliException.class)
            .hasMessageContaining("cannot move between spaces");
    }

    @Test
    void createPlanNamesTheNewSpace() {
        var spec = new PipelineSpec(Path.of("p.yaml"), "echo", null, null, "examples", CODE, null,
            List.of(new EnvVar("K", "secret")), PipelineSettings.fixedReplicas(2), 0);
        var text = Plan.create(spec, true, "\"examples\" (new)").render();
        assertThat(text).contains("+ create space \"examples\"", "+ create pipeline \"echo\" in space",
            "transformation: 2 lines", "env K", "settings.replicas: 2").doesNotContain("secret");
    }

    @Test
    void connectorChangesShowKindsOnlyAndRemovalSendsNull() throws Exception {
        var webhook = Json.MAPPER.readTree("{\"kind\":\"webhook\",\"config\":{\"url\":\"http://h/secret-path\"}}");
        var moved = Json.MAPPER.readTree("{\"kind\":\"webhook\",\"config\":{\"url\":\"http://h/other\"}}");
        var withSink = new PipelineDetails("p1", "echo", "s1", "main", "running", Instant.EPOCH, Instant.EPOCH, null,
            null, webhook, List.of(new EnvVar("A", "1")), SERVER_SETTINGS,
            new PipelineDetails.Function(1, "ready", 1, "ready"));
        var base = spec("echo", CODE, List.of(new EnvVar("A", "1")), PipelineSettings.fixedReplicas(1));
        var same = new PipelineSpec(base.file(), "echo", "p1", "s1", null, CODE, null, base.env(), base.settings(), 2,
            null, webhook);
        assertThat(Plan.update(same, withSink, ARTIFACT).kind()).isEqualTo(Plan.Kind.NO_CHANGE);
        var changed = new PipelineSpec(base.file(), "echo", "p1", "s1", null, CODE, null, base.env(),
            base.settings(), 2, null, moved);
        var plan = Plan.update(changed, withSink, ARTIFACT);
        assertThat(plan.changes()).containsExactly("sink: webhook: config changed");
        assertThat(plan.render()).doesNotContain("other");
        assertThat(plan.update().sinkConnector()).isEqualTo(moved);
        var removed = Plan.update(base, withSink, ARTIFACT);
        assertThat(removed.changes()).containsExactly("sink: webhook → REST API");
        assertThat(Json.compact(removed.update())).contains("\"sink_connector\":null")
            .doesNotContain("source_connector");
    }

    @Test
    void everySettingOfAnExportedPipelineAppliesWithoutChange() {
        var server = new PipelineSettings(null, 0, 6, 50, 5_000L, 10_000L, 20_000L, 2, 10, 512, 8, "key", "/user_id",
            4);
        var details = new PipelineDetails("p1", "echo", "s1", "main", "running", Instant.EPOCH, Instant.EPOCH, null,
            null, null, List.of(), server, new PipelineDetails.Function(1, "ready", 1, "ready"));
        var yaml = Yaml.dump(ExportCommand.document(details, ARTIFACT));
        assertThat(yaml).contains("ordering: key", "ordering_key: /user_id", "partitions: 4", "async_concurrency: 8",
            "idle_timeout_ms: 10000", "lag_per_replica: 50");
        var spec = PipelineYaml.parse(yaml, Path.of("exported.yaml"));
        assertThat(spec.settings()).isEqualTo(server);
        assertThat(Plan.update(spec, details, ARTIFACT).kind()).isEqualTo(Plan.Kind.NO_CHANGE);

        var unordered = new PipelineSettings(null, null, null, null, null, null, null, null, null, null, null, "none",
            null, null);
        var plan = Plan.update(new PipelineSpec(spec.file(), "echo", "p1", "s1", null, CODE, null, List.of(),
            unordered, 2), details, ARTIFACT);
        assertThat(plan.changes()).containsExactly("settings.ordering: key → none");
        assertThat(plan.update().settings().ordering()).isEqualTo("none");
    }

    @Test
    void exportedConnectorsApplyWithoutChange() throws Exception {
        var sink = Json.MAPPER.readTree("{\"kind\":\"webhook\",\"config\":{\"url\":\"http://h/x\",\"timeout_ms\":5000,"
            + "\"headers\":[{\"name\":\"A\",\"value\":\"b\"}],\"hmac_secret\":{\"secret_ref\":{\"type\":"
            + "\"organization\",\"key\":\"K\"}}}}");
        var source = Json.MAPPER.readTree("{\"kind\":\"nats\",\"configuration\":{\"url\":{\"value\":\"nats://h:4222\"},"
            + "\"subject\":{\"value\":\"in\"}}}");
        var details = new PipelineDetails("p1", "echo", "s1", "main", "running", Instant.EPOCH, Instant.EPOCH, null,
            null, sink, List.of(), SERVER_SETTINGS, new PipelineDetails.Function(1, "ready", 1, "ready"));
        var yaml = Yaml.dump(ExportCommand.document(details, ARTIFACT));
        assertThat(yaml).contains("kind: webhook", "timeout_ms: 5000", "key: K");
        var spec = PipelineYaml.parse(yaml, Path.of("exported.yaml"));
        assertThat(spec.sink()).isEqualTo(sink);
        assertThat(Plan.update(spec, details, ARTIFACT).kind()).isEqualTo(Plan.Kind.NO_CHANGE);

        var glassflow = new PipelineDetails("p1", "echo", "s1", "main", "running", Instant.EPOCH, Instant.EPOCH, null,
            source, null, List.of(), SERVER_SETTINGS, new PipelineDetails.Function(1, "ready", 1, "ready"));
        var exported = PipelineYaml.parse(Yaml.dump(ExportCommand.document(glassflow, ARTIFACT)), Path.of("e.yaml"));
        assertThat(exported.source().toString()).isEqualTo("{\"kind\":\"nats\",\"config\":{\"url\":\"nats://h:4222\","
            + "\"subject\":\"in\"}}");
    }
}
