package io.riffle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.client.EnvVar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineYamlTest {
    private static final String GOOD = """
        name: My First Pipeline
        pipeline_id:
        space_id:
        space_name: examples
        components:
          - id: my_source
            name: My Source
            type: source
          - id: my_transformer
            name: My transformer
            type: transformer
            requirements: {value: "requests==2.32.3"}
            transformation: {path: handler.py}
            env_vars: [{name: AES_KEY, value: abc}, {name: N, value: 3}]
            settings: {replicas: 2, timeout_ms: 5000}
            inputs: [my_source]
          - id: my_sink
            name: My sink
            type: sink
            inputs: [my_transformer]
        """;

    @TempDir
    Path dir;

    @BeforeEach
    void handler() throws IOException {
        Files.writeString(dir.resolve("handler.py"), "def handler(data, log):\n    return data\n");
    }

    private PipelineSpec parse(String yaml) {
        return PipelineYaml.parse(yaml, dir.resolve("pipeline.yaml"));
    }

    private void assertRefused(String yaml, int line, String field, String detail) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(CliException.class)
            .hasMessageStartingWith(dir.resolve("pipeline.yaml") + ":" + line + ": " + field + ": ")
            .hasMessageContaining(detail);
    }

    @Test
    void readsGlassflowsTemplateWithFilesRelativeToTheYaml() {
        var spec = parse(GOOD);
        assertThat(spec.name()).isEqualTo("My First Pipeline");
        assertThat(spec.pipelineId()).isNull();
        assertThat(spec.spaceId()).isNull();
        assertThat(spec.spaceName()).isEqualTo("examples");
        assertThat(spec.transformation()).startsWith("def handler(data, log):");
        assertThat(spec.requirements()).isEqualTo("requests==2.32.3");
        assertThat(spec.env()).containsExactly(new EnvVar("AES_KEY", "abc"), new EnvVar("N", "3"));
        assertThat(spec.settings().replicas()).isEqualTo(2);
        assertThat(spec.settings().timeoutMs()).isEqualTo(5000L);
        assertThat(spec.settings().maxRetries()).isNull();
    }

    @Test
    void missingTransformerNamesTheComponentsLine() {
        assertRefused("""
            name: x
            space_name: s
            components:
              - {id: a, type: source}
              - {id: k, type: sink, inputs: [a]}
            """, 3, "components", "has no transformer");
    }

    @Test
    void twoSourcesNameTheSecondOne() {
        assertRefused(GOOD.replace("    type: sink", "    type: source"), 19, "components[2].type",
            "a second source (the first is components[0] at line 6)");
    }

    @Test
    void unknownComponentType() {
        assertRefused(GOOD.replace("type: sink", "type: sinkhole"), 19, "components[2].type",
            "unknown component type 'sinkhole'; use source, transformer or sink");
    }

    @Test
    void connectorKindsPassToTheServerWithTheirConfig() {
        var spec = parse(GOOD.replace("    type: sink\n", "    type: sink\n    kind: webhook\n"
            + "    config:\n      url: http://example.test/hook\n      method: POST\n      timeout_ms: 5000\n"
            + "      headers: [{name: X-A, value: b}]\n      hmac_secret: {secret_ref: {type: organization, key: K}}\n"));
        assertThat(spec.source()).isNull();
        assertThat(spec.sink().toString()).isEqualTo("{\"kind\":\"webhook\",\"config\":{\"url\":"
            + "\"http://example.test/hook\",\"method\":\"POST\",\"timeout_ms\":5000,\"headers\":[{\"name\":"
            + "\"X-A\",\"value\":\"b\"}],\"hmac_secret\":{\"secret_ref\":{\"type\":\"organization\","
            + "\"key\":\"K\"}}}}");
        var kindOnly = parse(GOOD.replace("    type: source\n", "    type: source\n    kind: nats\n"));
        assertThat(kindOnly.source().toString()).isEqualTo("{\"kind\":\"nats\",\"config\":{}}");
    }

    @Test
    void connectorShapeIsCheckedWithItsLine() {
        assertRefused(GOOD.replace("    type: sink\n", "    type: sink\n    config: {url: x}\n"), 20,
            "components[2].config", "only used with a connector kind");
        assertRefused(GOOD.replace("    type: sink\n", "    type: sink\n    kind: webhook\n    config: [1]\n"), 21,
            "components[2].config", "must be a mapping of the connector's fields");
        assertRefused(GOOD.replace("    type: source\n", "    type: source\n    kind: [a]\n"), 9,
            "components[0].kind", "must be a connector kind");
        assertRefused(GOOD.replace("    type: source\n", "    type: source\n    kind: nats\n"
            + "    config_secret_ref: x\n"), 10, "components[0].config_secret_ref", "is not supported");
    }

    @Test
    void wrongInputsChain() {
        assertRefused(GOOD.replace("inputs: [my_transformer]", "inputs: [my_source]"), 20, "components[2].inputs",
            "must be [my_transformer] (the transformer's id); got [my_source]");
        assertRefused(GOOD.replace("    inputs: [my_source]\n", ""), 9, "components[1].inputs",
            "is required: [my_source]");
    }

    @Test
    void missingFileNamesThePathLine() {
        assertRefused(GOOD.replace("handler.py", "nope.py"), 13, "components[1].transformation.path",
            "file nope.py does not exist");
    }

    @Test
    void transformationNeedsExactlyOneOfPathAndValue() {
        assertRefused(GOOD.replace("{path: handler.py}", "{path: handler.py, value: x}"), 13,
            "components[1].transformation", "exactly one of path and value");
        assertRefused(GOOD.replace("    transformation: {path: handler.py}\n", ""), 9,
            "components[1].transformation", "is required");
    }

    @Test
    void settingsMustBeKnownWholeNumbers() {
        assertRefused(GOOD.replace("replicas: 2", "replica: 2"), 15, "components[1].settings.replica",
            "unknown setting");
        assertRefused(GOOD.replace("timeout_ms: 5000", "timeout_ms: 5s"), 15, "components[1].settings.timeout_ms",
            "must be a whole number");
    }

    @Test
    void topLevelFields() {
        assertRefused(GOOD.replace("name: My First Pipeline\n", ""), 1, "name", "is required");
        assertRefused(GOOD.replace("pipeline_id:\n", "pipeline_id: abc\n"), 2, "space_id",
            "is required when pipeline_id is set");
        assertRefused(GOOD.replace("space_name: examples\n", "space_name:\n"), 1, "space_name",
            "give space_name (created when missing) or space_id");
        assertRefused(GOOD + "name: again\n", 21, "name", "is given twice (first at line 1)");
    }

    @Test
    void syntaxErrorsAndEmptyFilesNameALine() {
        assertThatThrownBy(() -> parse("name: x\n  space_name: [\n")).hasMessageStartingWith(
            dir.resolve("pipeline.yaml") + ":2: invalid YAML");
        assertThatThrownBy(() -> parse("")).hasMessageStartingWith(dir.resolve("pipeline.yaml") + ":1: ");
    }

    @Test
    void secretReferencesAreRefused() {
        assertRefused(GOOD.replace("{name: AES_KEY, value: abc}", "{name: AES_KEY, value_secret_ref: k}"), 14,
            "components[1].env_vars[0].value_secret_ref", "not available");
    }

    @Test
    void orderingSettingsAreTextAndChecked() {
        var spec = parse(GOOD.replace("settings: {replicas: 2, timeout_ms: 5000}",
            "settings: {max_replicas: 3, async_concurrency: 16, ordering: key, ordering_key: /user/id,"
                + " partitions: 8}"));
        assertThat(spec.settings().ordering()).isEqualTo("key");
        assertThat(spec.settings().orderingKey()).isEqualTo("/user/id");
        assertThat(spec.settings().partitions()).isEqualTo(8);
        assertThat(spec.settings().asyncConcurrency()).isEqualTo(16);
        assertRefused(GOOD.replace("timeout_ms: 5000", "ordering: fifo"), 15, "components[1].settings.ordering",
            "must be none or key; got fifo");
        assertRefused(GOOD.replace("timeout_ms: 5000", "ordering_key: user_id"), 15,
            "components[1].settings.ordering_key", "JSON pointer");
        assertRefused(GOOD.replace("timeout_ms: 5000", "partitions: lots"), 15, "components[1].settings.partitions",
            "whole number");
    }
}
