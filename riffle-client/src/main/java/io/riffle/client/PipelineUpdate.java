package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;

/**
 * What {@link Pipelines#update} changes; every null field is left as it is. A new transformation, requirements or
 * environment creates a new function version (built, then activated when ready). A connector set to
 * {@link NullNode} is removed (the REST source or sink again).
 */
public record PipelineUpdate(String name, String state, String transformationFunction, String requirementsTxt,
                             List<EnvVar> environments, PipelineSettings settings, JsonNode metadata,
                             JsonNode sourceConnector, JsonNode sinkConnector) {
    public static final PipelineUpdate NONE = new PipelineUpdate(null, null, null, null, null, null, null);

    /** An update that leaves the connectors as they are. */
    public PipelineUpdate(String name, String state, String transformationFunction, String requirementsTxt,
                          List<EnvVar> environments, PipelineSettings settings, JsonNode metadata) {
        this(name, state, transformationFunction, requirementsTxt, environments, settings, metadata, null, null);
    }

    public PipelineUpdate withName(String n) {
        return new PipelineUpdate(n, state, transformationFunction, requirementsTxt, environments, settings, metadata,
            sourceConnector, sinkConnector);
    }

    public PipelineUpdate withState(String s) {
        return new PipelineUpdate(name, s, transformationFunction, requirementsTxt, environments, settings, metadata,
            sourceConnector, sinkConnector);
    }

    public PipelineUpdate withTransformation(String source) {
        return new PipelineUpdate(name, state, source, requirementsTxt, environments, settings, metadata,
            sourceConnector, sinkConnector);
    }

    public PipelineUpdate withRequirements(String txt) {
        return new PipelineUpdate(name, state, transformationFunction, txt, environments, settings, metadata,
            sourceConnector, sinkConnector);
    }

    public PipelineUpdate withEnvironments(List<EnvVar> env) {
        return new PipelineUpdate(name, state, transformationFunction, requirementsTxt, env == null ? null
            : List.copyOf(env), settings, metadata, sourceConnector, sinkConnector);
    }

    public PipelineUpdate withSettings(PipelineSettings s) {
        return new PipelineUpdate(name, state, transformationFunction, requirementsTxt, environments, s, metadata,
            sourceConnector, sinkConnector);
    }

    /** Sets the source connector; {@code null} removes it (sent as JSON null). */
    public PipelineUpdate withSourceConnector(JsonNode connector) {
        return new PipelineUpdate(name, state, transformationFunction, requirementsTxt, environments, settings,
            metadata, connector == null ? NullNode.getInstance() : connector, sinkConnector);
    }

    /** Sets the sink connector; {@code null} removes it (sent as JSON null). */
    public PipelineUpdate withSinkConnector(JsonNode connector) {
        return new PipelineUpdate(name, state, transformationFunction, requirementsTxt, environments, settings,
            metadata, sourceConnector, connector == null ? NullNode.getInstance() : connector);
    }

    /** True when nothing would change. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return equals(NONE);
    }
}
