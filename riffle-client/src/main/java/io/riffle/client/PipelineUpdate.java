package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What {@link Pipelines#update} changes; every null field is left as it is. A new transformation, requirements or
 * environment creates a new function version (built, then activated when ready).
 */
public record PipelineUpdate(String name, String state, String transformationFunction, String requirementsTxt,
                             List<EnvVar> environments, PipelineSettings settings, JsonNode metadata) {
    public static final PipelineUpdate NONE = new PipelineUpdate(null, null, null, null, null, null, null);

    public PipelineUpdate withName(String n) {
        return new PipelineUpdate(n, state, transformationFunction, requirementsTxt, environments, settings, metadata);
    }

    public PipelineUpdate withState(String s) {
        return new PipelineUpdate(name, s, transformationFunction, requirementsTxt, environments, settings, metadata);
    }

    public PipelineUpdate withTransformation(String source) {
        return new PipelineUpdate(name, state, source, requirementsTxt, environments, settings, metadata);
    }

    public PipelineUpdate withRequirements(String txt) {
        return new PipelineUpdate(name, state, transformationFunction, txt, environments, settings, metadata);
    }

    public PipelineUpdate withEnvironments(List<EnvVar> env) {
        return new PipelineUpdate(name, state, transformationFunction, requirementsTxt, env == null ? null
            : List.copyOf(env), settings, metadata);
    }

    public PipelineUpdate withSettings(PipelineSettings s) {
        return new PipelineUpdate(name, state, transformationFunction, requirementsTxt, environments, s, metadata);
    }

    /** True when nothing would change. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return equals(NONE);
    }
}
