package io.riffle.cli;

import io.riffle.client.FunctionArtifact;
import io.riffle.client.PipelineDetails;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code export PIPELINE}: a pipeline.yaml that describes the pipeline as it is (applying it changes nothing). */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Print a pipeline.yaml of an existing pipeline (code inline); applying it changes nothing.",
    footer = {"", "Example:", "  riffle export 5f0c... > pipeline.yaml"})
final class ExportCommand extends ApiCommand {
    @Parameters(paramLabel = "PIPELINE", description = "Pipeline id.")
    String pipeline;

    @Override
    void run() {
        var p = client().pipelines().get(pipeline);
        var artifact = client().functions().latest(pipeline);
        out().print("# exported by 'riffle export " + pipeline + "'\n" + Yaml.dump(document(p, artifact)));
    }

    static Map<String, Object> document(PipelineDetails p, FunctionArtifact artifact) {
        var doc = new LinkedHashMap<String, Object>();
        doc.put("name", p.name());
        doc.put("pipeline_id", p.id());
        doc.put("space_id", p.spaceId());
        doc.put("space_name", p.spaceName());
        var transformer = new LinkedHashMap<String, Object>();
        transformer.put("id", "transformer");
        transformer.put("name", "Transformer");
        transformer.put("type", "transformer");
        transformer.put("transformation", Map.of("value", artifact.transformationFunction()));
        if (!artifact.requirementsTxt().isBlank()) {
            transformer.put("requirements", Map.of("value", artifact.requirementsTxt()));
        }
        if (!p.environments().isEmpty()) {
            transformer.put("env_vars", p.environments().stream()
                .map(e -> {
                    var m = new LinkedHashMap<String, Object>();
                    m.put("name", e.name());
                    m.put("value", e.value());
                    return m;
                }).toList());
        }
        if (p.settings() != null) {
            var settings = Plan.settingsMap(p.settings());
            if (!settings.isEmpty()) {
                transformer.put("settings", settings);
            }
        }
        transformer.put("inputs", List.of("source"));
        doc.put("components", List.of(
            component("source", "Source", "source", null, p.sourceConnector()),
            transformer,
            component("sink", "Sink", "sink", "transformer", p.sinkConnector())));
        return doc;
    }

    private static Map<String, Object> component(String id, String name, String type, String input,
                                                 com.fasterxml.jackson.databind.JsonNode connector) {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", id);
        m.put("name", name);
        m.put("type", type);
        if (connector != null && connector.isObject() && connector.hasNonNull("kind")) {
            m.put("kind", connector.path("kind").asText());
            m.put("config", config(connector));
        }
        if (input != null) {
            m.put("inputs", List.of(input));
        }
        return m;
    }

    /** The connector's fields as pipeline.yaml's {@code config}; GlassFlow's {@code {"value": v}} becomes {@code v}. */
    private static Object config(com.fasterxml.jackson.databind.JsonNode connector) {
        var plain = connector.path("config");
        if (plain.isObject()) {
            return Json.MAPPER.convertValue(plain, Map.class);
        }
        var out = new LinkedHashMap<String, Object>();
        connector.path("configuration").properties().forEach(e -> {
            var v = e.getValue();
            var value = v.isObject() && v.has("value") && !v.has("secret_ref") ? v.get("value") : v;
            out.put(e.getKey(), Json.MAPPER.convertValue(value, Object.class));
        });
        return out;
    }
}
